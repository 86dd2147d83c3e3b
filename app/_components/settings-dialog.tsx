'use client';
import { useEffect, useRef } from 'react';
import { useT } from '../_lib/i18n.ts';
import { useSettings, type VoiceLanguage } from '../_lib/settings.tsx';

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const settings = useSettings();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" onClose={onClose} aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <label className="field">
        <span>{t('settings.uiLanguage')}</span>
        <select
          value={settings.uiLanguage}
          onChange={(event) => settings.update({ uiLanguage: event.target.value === 'ko' ? 'ko' : 'en' })}
        >
          <option value="en">English</option>
          <option value="ko">한국어</option>
        </select>
      </label>
      <label className="field">
        <span>{t('settings.voiceLanguage')}</span>
        <select
          value={settings.voiceLanguage}
          onChange={(event) => settings.update({ voiceLanguage: event.target.value as VoiceLanguage })}
        >
          <option value="en-US">English (en-US)</option>
          <option value="ko-KR">한국어 (ko-KR)</option>
        </select>
      </label>
      <label className="field checkbox">
        <input
          type="checkbox"
          checked={settings.speakReplies}
          onChange={(event) => settings.update({ speakReplies: event.target.checked })}
        />
        <span>{t('settings.speak')}</span>
      </label>
      <div className="dialog-actions">
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('settings.close')}
        </button>
      </div>
    </dialog>
  );
}
