import { createRequire } from 'node:module';
import countries, { type LocaleData } from 'i18n-iso-countries';
import { COUNTRY_ALIASES, COUNTRY_DISPLAY_NAMES } from './aliases.ts';

let registered = false;

function register(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  countries.registerLocale(require('i18n-iso-countries/langs/en.json') as LocaleData);
  countries.registerLocale(require('i18n-iso-countries/langs/ko.json') as LocaleData);
  registered = true;
}

export interface CountryNames {
  /** ISO 3166-1 alpha-2 → the English name s2a shows. */
  display: ReadonlyMap<string, string>;
  /** Every name (English and Korean from i18n-iso-countries, plus `COUNTRY_ALIASES`) → its code. */
  names: ReadonlyMap<string, string>;
}

let cached: CountryNames | undefined;

/**
 * Country names from i18n-iso-countries (`en` and `ko` locales) and the curated aliases. Where two
 * countries share a name ("Congo"), the first code in i18n-iso-countries' order keeps it.
 */
export function countryNames(): CountryNames {
  if (cached !== undefined) return cached;
  register();
  const display = new Map<string, string>();
  const names = new Map<string, string>();
  const english = countries.getNames('en', { select: 'all' });
  const korean = countries.getNames('ko', { select: 'all' });
  for (const [code, list] of Object.entries(english)) {
    const plain = list.filter((name) => !/[,()]/.test(name) && name !== name.toUpperCase());
    const shortest = [...plain].sort((a, b) => a.length - b.length)[0] ?? list[0] ?? code;
    display.set(code, COUNTRY_DISPLAY_NAMES[code] ?? shortest);
    for (const name of list) if (!names.has(name)) names.set(name, code);
  }
  for (const [code, list] of Object.entries(korean)) {
    for (const name of list) if (!names.has(name)) names.set(name, code);
  }
  for (const [code, list] of Object.entries(COUNTRY_ALIASES)) for (const name of list) names.set(name, code);
  cached = { display, names };
  return cached;
}
