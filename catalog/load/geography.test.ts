import { describe, expect, it } from 'vitest';
import { continentOf, countryFromSpiderDisplayName, placeFromDisplayText } from './geography.ts';

describe('placeFromDisplayText', () => {
  it.each([
    ['Korea (Seoul)', 'Seoul', 'KR'],
    ['South Korea (Seoul)', 'Seoul', 'KR'],
    ['Japan (Tokyo)', 'Tokyo', 'JP'],
    ['Toronto (Canada)', 'Toronto', 'CA'],
    ['Osaka (Japan)', 'Osaka', 'JP'],
    ['Chennai, India', 'Chennai', 'IN'],
    ['Montreal, Quebec, Canada', 'Montreal', 'CA'],
    ['Dallas USA', 'Dallas', 'US'],
    ['Madrid Spain', 'Madrid', 'ES'],
    ['Mexico City, Mexico', 'Mexico City', 'MX'],
    ['China (Nanjing - Local Region)', 'Nanjing', 'CN'],
    ['China (Hong Kong)', 'Hong Kong', 'HK'],
    ['Mok-dong - Seoul (South Korea)', 'Seoul', 'KR'],
    ['North China (Beijing)', 'Beijing', 'CN'],
    ['Washington DC (US East)', 'Washington DC', 'US'],
    ['Singapore', 'Singapore', 'SG'],
    ['UK (London)', 'London', 'GB'],
  ])('reads %s as city %s in %s', (text, city, countryCode) => {
    expect(placeFromDisplayText(text)).toEqual({ city, countryCode });
  });

  it.each([
    ['USA (Virginia)', 'US'],
    ['Western US (Silicon Valley)', 'US'],
    ['Johor, Malaysia', 'MY'],
    ['Japan', 'JP'],
    ['South Korea (virtual region)', 'KR'],
    ['Seoul(Gasan) / Pyeongchon (South Korea)', 'KR'],
  ])('leaves the city of %s undefined rather than guess (country %s)', (text, countryCode) => {
    expect(placeFromDisplayText(text)).toEqual({ countryCode });
  });

  it.each([['Southeast Asia (Bangkok)'], ['Sao Paulo']])('names no country for %s', (text) => {
    expect(placeFromDisplayText(text).countryCode).toBeUndefined();
  });
});

describe('countryFromSpiderDisplayName', () => {
  it.each([
    ['China, Hong Kong', 'HK'],
    ['South Korea, NA', 'KR'],
    ['Saudi Arabia, Riyadh Region', 'SA'],
    ['United States, West Virginia', 'US'],
  ])('reads the country of %s as %s', (text, countryCode) => {
    expect(countryFromSpiderDisplayName(text)).toBe(countryCode);
  });
});

describe('continentOf', () => {
  it.each([
    ['KR', 'asia'],
    ['AE', 'middle-east'],
    ['BR', 'south-america'],
    ['AU', 'oceania'],
    ['ZA', 'africa'],
  ])('puts %s in %s', (countryCode, continent) => {
    expect(continentOf(countryCode)).toBe(continent);
  });
});
