'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { useT } from '../_lib/i18n.ts';
import { useSettings } from '../_lib/settings.tsx';
import { SettingsDialog } from './settings-dialog.tsx';

const LINKS = [
  { href: '/', key: 'nav.chat' },
  { href: '/dashboard', key: 'nav.dashboard' },
  { href: '/catalog', key: 'nav.catalog' },
] as const;

export function Nav() {
  const t = useT();
  const pathname = usePathname();
  const { uiLanguage, update } = useSettings();
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <header className="topbar">
      <Link href="/" className="brand" aria-label="s2a">
        <span className="brand-mark">s2a</span>
        <span className="brand-tagline">{t('app.tagline')}</span>
      </Link>
      <nav aria-label="main">
        {LINKS.map((link) => {
          const active = link.href === '/' ? pathname === '/' : pathname.startsWith(link.href);
          return (
            <Link key={link.href} href={link.href} aria-current={active ? 'page' : undefined}>
              {t(link.key)}
            </Link>
          );
        })}
      </nav>
      <div className="topbar-actions">
        <button
          type="button"
          className="ghost"
          onClick={() => update({ uiLanguage: uiLanguage === 'en' ? 'ko' : 'en' })}
          aria-label={uiLanguage === 'en' ? '한국어로 보기' : 'Switch to English'}
        >
          {uiLanguage === 'en' ? '한국어' : 'English'}
        </button>
        <button type="button" className="ghost" onClick={() => setSettingsOpen(true)}>
          {t('nav.settings')}
        </button>
      </div>
      {settingsOpen ? <SettingsDialog onClose={() => setSettingsOpen(false)} /> : null}
    </header>
  );
}
