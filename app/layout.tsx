import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Nav } from './_components/nav.tsx';
import { SettingsProvider } from './_lib/settings.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 's2a — Speech to Action',
  description: 'One sentence, in English or Korean, to running multi-cloud infrastructure',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SettingsProvider>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <Nav />
          <main id="main">{children}</main>
        </SettingsProvider>
      </body>
    </html>
  );
}
