'use client';
// Settings kept in the browser (localStorage): interface language, speech language, spoken replies.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { UiLanguage } from './i18n.ts';

export type VoiceLanguage = 'en-US' | 'ko-KR';

export interface Settings {
  uiLanguage: UiLanguage;
  voiceLanguage: VoiceLanguage;
  speakReplies: boolean;
}

interface SettingsContextValue extends Settings {
  update(patch: Partial<Settings>): void;
}

const STORAGE_KEY = 's2a-settings';
const DEFAULTS: Settings = { uiLanguage: 'en', voiceLanguage: 'en-US', speakReplies: false };

const SettingsContext = createContext<SettingsContextValue>({ ...DEFAULTS, update: () => undefined });

function initialSettings(): Settings {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Settings> | null;
    if (saved) return { ...DEFAULTS, ...saved };
  } catch {
    // private mode or a bad value: defaults below
  }
  const korean = navigator.language.toLowerCase().startsWith('ko');
  return { ...DEFAULTS, uiLanguage: korean ? 'ko' : 'en', voiceLanguage: korean ? 'ko-KR' : 'en-US' };
}

export function SettingsProvider({ children }: { children: ReactNode }) {
  // The server renders the defaults; the browser's own choice applies right after hydration.
  const [settings, setSettings] = useState<Settings>(DEFAULTS);
  useEffect(() => setSettings(initialSettings()), []);
  useEffect(() => {
    document.documentElement.lang = settings.uiLanguage;
  }, [settings.uiLanguage]);
  const update = useCallback((patch: Partial<Settings>) => {
    setSettings((current) => {
      const next = { ...current, ...patch };
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // not persisted; still applied
      }
      return next;
    });
  }, []);
  const value = useMemo(() => ({ ...settings, update }), [settings, update]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsContextValue {
  return useContext(SettingsContext);
}
