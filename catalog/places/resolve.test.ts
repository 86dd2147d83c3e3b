import { describe, expect, it } from 'vitest';
import { loadRegions } from '../load/index.ts';
import type { ResolvedPlace } from '../types.ts';
import { coordinatesPlace, regionsNear, resolvePlaces } from './index.ts';

const regions = loadRegions();

/** "kind:name" per place, in order. */
function names(text: string): string[] {
  return resolvePlaces(text, regions).map((place) => `${place.kind}:${place.name}`);
}

function nearestRegion(place: ResolvedPlace): string | undefined {
  return regionsNear(place, regions)[0]?.region.id;
}

describe('resolvePlaces', () => {
  it.each<[string, string[]]>([
    // Cities, English, Korean, Japanese, Chinese
    ['Seoul', ['city:Seoul']],
    ['서울', ['city:Seoul']],
    ['서울시', ['city:Seoul']],
    ['서울특별시에서', ['city:Seoul']],
    ['Tokyo', ['city:Tokyo']],
    ['도쿄', ['city:Tokyo']],
    ['東京', ['city:Tokyo']],
    ['东京', ['city:Tokyo']],
    ['Frankfurt', ['city:Frankfurt']],
    ['프랑크푸르트', ['city:Frankfurt']],
    ['Singapore', ['city:Singapore']],
    ['싱가포르', ['city:Singapore']],
    ['新加坡', ['city:Singapore']],
    ['Mumbai', ['city:Mumbai']],
    ['뭄바이', ['city:Mumbai']],
    ['São Paulo', ['city:São Paulo']],
    ['Sao Paulo', ['city:São Paulo']],
    ['sao-paulo', ['city:São Paulo']],
    ['Virginia', ['city:Virginia']],
    ['N. Virginia', ['city:Virginia']],
    ['Oregon', ['city:Oregon']],
    ['ZURICH', ['city:Zurich']],
    ['Paris', ['city:Paris']],
    ['Mexico City', ['city:Mexico City']],
    ['Bangalore', ['city:Bengaluru']],
    ['Bombay', ['city:Mumbai']],
    ['Valencia', ['city:Valencia']],
    // "near X", "X 근처", "around X"
    ['near Paris', ['city:Paris']],
    ['3 GPU VMs near Seoul', ['city:Seoul']],
    ['서울 근처', ['city:Seoul']],
    ['서울 인근에', ['city:Seoul']],
    ['서울근처에서', ['city:Seoul']],
    ['around London', ['city:London']],
    ['東京の近く', ['city:Tokyo']],
    ['上海附近', ['city:Shanghai']],
    ['near Nice', ['city:Nice']],
    // Countries
    ['Korea', ['country:Korea']],
    ['South Korea', ['country:Korea']],
    ['한국', ['country:Korea']],
    ['대한민국', ['country:Korea']],
    ['한국에', ['country:Korea']],
    ['Japan', ['country:Japan']],
    ['일본', ['country:Japan']],
    ['Germany', ['country:Germany']],
    ['독일', ['country:Germany']],
    ['US', ['country:United States']],
    ['U.S.', ['country:United States']],
    ['USA', ['country:United States']],
    ['미국', ['country:United States']],
    ['UK', ['country:United Kingdom']],
    ['영국', ['country:United Kingdom']],
    ['대만', ['country:Taiwan']],
    ['남아공', ['country:South Africa']],
    ['in the cheapest region of Brazil', ['country:Brazil']],
    // Continents and areas
    ['Europe', ['continent:Europe']],
    ['유럽', ['continent:Europe']],
    ['Asia', ['continent:Asia']],
    ['아시아', ['continent:Asia']],
    ['North America', ['continent:North America']],
    ['북미', ['continent:North America']],
    ['South America', ['continent:South America']],
    ['남미', ['continent:South America']],
    ['Oceania', ['continent:Oceania']],
    ['오세아니아', ['continent:Oceania']],
    ['Middle East', ['continent:Middle East']],
    ['중동', ['continent:Middle East']],
    ['Africa', ['continent:Africa']],
    ['아프리카', ['continent:Africa']],
    ['US east', ['area:US East']],
    ['미국 동부', ['area:US East']],
    ['미국동부에', ['area:US East']],
    ['the U.S. east coast', ['area:US East']],
    ['US west', ['area:US West']],
    ['미국 서부', ['area:US West']],
    ['East Asia', ['area:East Asia']],
    ['동아시아', ['area:East Asia']],
    ['Southeast Asia', ['area:Southeast Asia']],
    ['동남아', ['area:Southeast Asia']],
    ['APAC', ['area:Asia Pacific']],
    // Lists, in order
    ['Tokyo or Osaka', ['city:Tokyo', 'city:Osaka']],
    ['Seoul, Tokyo and Frankfurt', ['city:Seoul', 'city:Tokyo', 'city:Frankfurt']],
    ['서울, 도쿄, 프랑크푸르트', ['city:Seoul', 'city:Tokyo', 'city:Frankfurt']],
    ['서울과 도쿄', ['city:Seoul', 'city:Tokyo']],
    ['도쿄나 오사카', ['city:Tokyo', 'city:Osaka']],
    ['서울이랑 부산 중에', ['city:Seoul', 'city:Busan']],
    ['東京と大阪', ['city:Tokyo', 'city:Osaka']],
    ['东京或大阪', ['city:Tokyo', 'city:Osaka']],
    ['Korea or Japan', ['country:Korea', 'country:Japan']],
    ['유럽이나 미국', ['continent:Europe', 'country:United States']],
    ['3 servers in Paris and 2 in Berlin', ['city:Paris', 'city:Berlin']],
    ['Seoul or Lima', ['city:Seoul', 'city:Lima']],
    // A city with its country or state is one place
    ['Seoul, Korea', ['city:Seoul']],
    ['한국 서울', ['city:Seoul']],
    ['Tokyo, Osaka, Japan', ['city:Tokyo', 'city:Osaka']],
    ['Paris, Texas', ['city:Paris']],
    ['Portland, Oregon', ['city:Portland']],
    ['Dublin, Ohio', ['city:Dublin']],
    // Coordinates and region codes
    ['37.5,127', ['coordinates:37.5, 127']],
    ['37.5N 127E', ['coordinates:37.5, 127']],
    ['33.9S, 151.2E', ['coordinates:-33.9, 151.2']],
    ['near 37, 127', ['coordinates:37, 127']],
    ['좌표 37.5, 127.0', ['coordinates:37.5, 127']],
    ['koreacentral', ['region:azure+koreacentral']],
    ['aws ap-southeast-3', ['region:aws+ap-southeast-3']],
    ['t3.micro in aws+us-east-1', ['region:aws+us-east-1']],
    ['us-east', ['area:US East']],
    ['ibm us-east', ['region:ibm+us-east']],
    ['Jeju island', ['city:Jeju']],
    // Words around places are ignored
    ['제일 싼 GPU 서울에서 3대', ['city:Seoul']],
    ['엔비디아 A100 2개 도쿄 근처에 만들어줘', ['city:Tokyo']],
    ['ubuntu 22.04, 3 VMs near Seoul', ['city:Seoul']],
    ['cheapest nginx in Frankfurt', ['city:Frankfurt']],
    // Unknown or no place: nothing
    ['', []],
    ['xyzzy', []],
    ['cheapest GPU', []],
    ['nginx', []],
    ['3대', []],
    ['제일 싼', []],
    ['give us 3 VMs', []],
    ['ubuntu 22.04, 3 VMs', []],
    ['memory 2.5, 3.5 GB', []],
    ['deploy nginx on 3 VMs with 4 vCPUs and 16 GiB memory, cheapest first', []],
    ['I need the most powerful GPU for training', []],
    ['mobile backend with aurora database, reading from S3', []],
    ['run phoenix app', []],
    ['오만 원 이하로 VM 하나', []],
    ['nginx 설치하고 포트 80 열어줘', []],
    ['make a kubernetes cluster with 5 nodes, spot instances', []],
  ])('%s → %j', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  it('puts cities where they are', () => {
    const [seoul] = resolvePlaces('Seoul', regions);
    expect(seoul).toMatchObject({ kind: 'city', countryCode: 'KR', radiusKm: 500 });
    expect(seoul?.latitude).toBeCloseTo(37.57, 1);
    expect(seoul?.longitude).toBeCloseTo(126.98, 1);
    const [frankfurt] = resolvePlaces('Frankfurt', regions);
    expect(frankfurt).toMatchObject({ countryCode: 'DE' });
    expect(frankfurt?.latitude).toBeCloseTo(50.11, 1);
    const [paris] = resolvePlaces('near Paris', regions);
    expect(paris?.countryCode).toBe('FR');
    const [texas] = resolvePlaces('Paris, Texas', regions);
    expect(texas?.countryCode).toBe('US');
  });

  it('prefers, among cities of one name, the one near a cloud region (Valencia, Spain over Venezuela)', () => {
    expect(resolvePlaces('Valencia', regions)[0]?.countryCode).toBe('ES');
    expect(resolvePlaces('Hyderabad', regions)[0]?.countryCode).toBe('IN');
    expect(resolvePlaces('Santiago', regions)[0]?.countryCode).toBe('CL');
  });

  it('finds the regions of the cities that host them', () => {
    expect(nearestRegion(resolvePlace('Virginia'))).toMatch(/^gcp\+us-east4$|^aws\+us-east-1$/);
    expect(nearestRegion(resolvePlace('Oregon'))).toBe('gcp+us-west1');
    expect(nearestRegion(resolvePlace('Iowa'))).toBe('gcp+us-central1');
    expect(nearestRegion(resolvePlace('서울'))).toMatch(/koreacentral|ap-seoul/);
  });

  it('gives countries their extent and areas their regions', () => {
    const korea = resolvePlace('Korea');
    expect(korea).toMatchObject({ kind: 'country', countryCode: 'KR' });
    expect(korea.radiusKm).toBeGreaterThanOrEqual(300);
    const us = resolvePlace('USA');
    expect(us.radiusKm).toBeGreaterThan(2000);
    const europe = resolvePlace('Europe');
    expect(europe.regionIds).toContain('aws+eu-central-1');
    expect(europe.regionIds).not.toContain('aws+ap-northeast-2');
    const east = resolvePlace('US east');
    expect(east.regionIds).toEqual(
      expect.arrayContaining(['aws+us-east-1', 'aws+us-east-2', 'gcp+us-east1']),
    );
    expect(east.regionIds).not.toContain('aws+us-west-2');
    expect(east.regionIds).not.toContain('gcp+us-central1');
    const west = resolvePlace('US west');
    expect(west.regionIds).toEqual(expect.arrayContaining(['aws+us-west-2', 'gcp+us-west1', 'azure+westus']));
    expect(west.regionIds).not.toContain('aws+us-east-1');
    const sea = resolvePlace('동남아');
    expect(sea.regionIds).toEqual(expect.arrayContaining(['aws+ap-southeast-1', 'gcp+asia-southeast2']));
    expect(sea.regionIds).not.toContain('aws+ap-northeast-1');
  });

  it('reads a radius from the text', () => {
    expect(resolvePlace('within 300 km of Tokyo').radiusKm).toBe(300);
    expect(resolvePlace('서울 200km 이내').radiusKm).toBe(200);
    expect(resolvePlace('반경 500킬로 도쿄').radiusKm).toBe(500);
  });
});

function resolvePlace(text: string): ResolvedPlace {
  const [place] = resolvePlaces(text, regions);
  if (place === undefined) throw new Error(`no place in ${text}`);
  return place;
}

describe('English and Korean name the same places', () => {
  it.each<[string, string]>([
    ['Seoul', '서울'],
    ['near Seoul', '서울 근처'],
    ['Busan', '부산'],
    ['Tokyo', '도쿄'],
    ['Osaka', '오사카'],
    ['Frankfurt', '프랑크푸르트'],
    ['London', '런던'],
    ['Paris', '파리'],
    ['Singapore', '싱가포르'],
    ['Mumbai', '뭄바이'],
    ['Sydney', '시드니'],
    ['São Paulo', '상파울루'],
    ['Virginia', '버지니아'],
    ['Oregon', '오리건'],
    ['Hong Kong', '홍콩'],
    ['Jakarta', '자카르타'],
    ['Korea', '한국'],
    ['South Korea', '대한민국'],
    ['Japan', '일본'],
    ['Germany', '독일'],
    ['USA', '미국'],
    ['United Kingdom', '영국'],
    ['India', '인도'],
    ['Australia', '호주'],
    ['Europe', '유럽'],
    ['Asia', '아시아'],
    ['North America', '북미'],
    ['South America', '남미'],
    ['Middle East', '중동'],
    ['Africa', '아프리카'],
    ['Oceania', '오세아니아'],
    ['US east', '미국 동부'],
    ['US west', '미국 서부'],
    ['East Asia', '동아시아'],
    ['Southeast Asia', '동남아'],
    ['Tokyo or Osaka', '도쿄나 오사카'],
    ['Seoul and Tokyo', '서울과 도쿄'],
    ['Seoul, Tokyo and Frankfurt', '서울, 도쿄, 프랑크푸르트'],
    ['cheapest GPU near Seoul', '서울 근처 제일 싼 GPU'],
    ['3 VMs in Korea', '한국에 VM 3대'],
  ])('%s = %s', (english, korean) => {
    const en = resolvePlaces(english, regions);
    expect(en.length).toBeGreaterThan(0);
    expect(resolvePlaces(korean, regions)).toEqual(en);
  });
});

describe('regionsNear', () => {
  it('sorts the regions within a city radius by distance', () => {
    const hits = regionsNear(resolvePlace('Seoul'), regions);
    expect(hits.length).toBeGreaterThan(5);
    expect(hits.every((hit) => hit.distanceKm <= 500)).toBe(true);
    expect(hits.map((hit) => hit.distanceKm)).toEqual(
      [...hits.map((hit) => hit.distanceKm)].sort((a, b) => a - b),
    );
    expect(hits.map((hit) => hit.region.id)).not.toContain('aws+ap-northeast-1');
    expect(regionsNear(resolvePlace('Seoul'), regions, 1500).map((hit) => hit.region.id)).toContain(
      'aws+ap-northeast-1',
    );
  });

  it('matches countries by country code, with uncoded regions by distance', () => {
    const hits = regionsNear(resolvePlace('Korea'), regions);
    expect(hits.length).toBeGreaterThan(5);
    expect(new Set(hits.map((hit) => hit.region.countryCode))).toEqual(new Set(['KR']));
    const us = regionsNear(resolvePlace('미국'), regions);
    expect(us.map((hit) => hit.region.id)).toEqual(expect.arrayContaining(['aws+us-east-1', 'gcp+us-west1']));
    expect(us.every((hit) => hit.region.countryCode === 'US')).toBe(true);
    // Alibaba's me-central-1 has no country code (sources disagree): it joins the UAE by distance.
    expect(regionsNear(resolvePlace('UAE'), regions).map((hit) => hit.region.id)).toContain(
      'alibaba+me-central-1',
    );
  });

  it('falls back to distance for a country without regions', () => {
    const ids = regionsNear(resolvePlace('Bahrain'), regions).map((hit) => hit.region.id);
    expect(ids).toContain('gcp+me-central2');
  });

  it('takes the region ids of areas', () => {
    const europe = resolvePlace('Europe');
    const hits = regionsNear(europe, regions);
    expect(hits.map((hit) => hit.region.id).sort()).toEqual([...(europe.regionIds ?? [])].sort());
  });

  it('works from raw coordinates', () => {
    const hits = regionsNear(coordinatesPlace(37.5, 127), regions, 100);
    expect(hits.length).toBeGreaterThan(3);
    expect(hits.every((hit) => hit.region.countryCode === 'KR')).toBe(true);
  });
});
