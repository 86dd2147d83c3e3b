'use client';
// The UI's two languages. Areas add their own dictionary file in messages/ and list it here.
import { catalog } from './messages/catalog.ts';
import { chat } from './messages/chat.ts';
import { common } from './messages/common.ts';
import { dashboard } from './messages/dashboard.ts';
import { voice } from './messages/voice.ts';
import { useSettings } from './settings.tsx';

export type UiLanguage = 'en' | 'ko';

const DICTIONARIES = [common, chat, voice, dashboard, catalog] as const;

type Keys<T> = T extends { en: infer E } ? keyof E : never;
export type MessageKey = Keys<(typeof DICTIONARIES)[number]>;

const MESSAGES: Record<UiLanguage, Record<string, string>> = { en: {}, ko: {} };
for (const dictionary of DICTIONARIES) {
  Object.assign(MESSAGES.en, dictionary.en);
  Object.assign(MESSAGES.ko, dictionary.ko);
}

/** The text of `key` in `language`, with {name} placeholders filled; English when Korean lacks it. */
export function translate(
  language: UiLanguage,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  const text = MESSAGES[language][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}

export function useT(): (key: MessageKey, values?: Record<string, string | number>) => string {
  const { uiLanguage } = useSettings();
  return (key, values) => translate(uiLanguage, key, values);
}
