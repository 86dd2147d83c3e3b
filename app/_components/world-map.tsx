'use client';
// The world map, drawn offline: Natural Earth countries (world-atlas, bundled) projected with d3-geo
// into an SVG that scales with its container. Markers group what would overlap and show a count.
import { type GeoProjection, geoPath } from 'd3-geo';
import { useEffect, useMemo, useRef, useState } from 'react';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { type MessageKey, useT } from '../_lib/i18n.ts';
import {
  fittedProjection,
  groupPoints,
  MAP_HEIGHT,
  MAP_WIDTH,
  type MapMarker,
  type MapPoint,
  markerRadius,
  type StatusTone,
  worldProjection,
} from '../_lib/map.ts';

export type { MapPoint } from '../_lib/map.ts';

const TONES: StatusTone[] = ['running', 'creating', 'suspended', 'failed'];
const TONE_LABEL: Record<StatusTone, MessageKey> = {
  running: 'map.running',
  creating: 'map.creating',
  suspended: 'map.suspended',
  failed: 'map.failed',
  other: 'map.other',
};

// The land is the same for every map: decoded once per page load; the world view is drawn once too.
const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
const COUNTRIES = feature(topology, topology.objects.countries);
const BORDER_LINES = mesh(topology, topology.objects.countries, (a, b) => a !== b);

interface Drawing {
  land: string;
  borders: string;
  sphere: string;
  project: (coordinates: [number, number]) => [number, number] | null;
}

function draw(projection: GeoProjection): Drawing {
  const path = geoPath(projection);
  return {
    land: path(COUNTRIES) ?? '',
    borders: path(BORDER_LINES) ?? '',
    sphere: path({ type: 'Sphere' }) ?? '',
    project: (coordinates) => projection(coordinates),
  };
}

const WORLD = draw(worldProjection());

/** How many map units one screen pixel is (at least 1, at most 3), kept up to date as the map resizes. */
function useMarkerScale(svg: { current: SVGSVGElement | null }): number {
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const element = svg.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      if (width > 0) setScale(Math.round(Math.min(Math.max(MAP_WIDTH / width, 1), 3) * 10) / 10);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [svg]);
  return scale;
}

function markerLabel(marker: MapMarker): string {
  return marker.points.map((point) => point.label).join('\n');
}

export interface WorldMapProps {
  points: readonly MapPoint[];
  /** What the map shows, for screen readers, e.g. "Nodes of all MCIs". */
  title: string;
  /** Draw the status legend (off for maps whose points have colours, not statuses). */
  legend?: boolean;
  /** Zoom to the points instead of showing the whole globe. */
  fit?: boolean;
}

export function WorldMap({ points, title, legend = true, fit = false }: WorldMapProps) {
  const t = useT();
  const svg = useRef<SVGSVGElement>(null);
  const scale = useMarkerScale(svg);
  // Markers keep about the same size on screen, so on a phone nearby places merge into one.
  // Redrawn only when the places change, not on every status update.
  const places = fit ? points.map((point) => `${point.latitude},${point.longitude}`).join(';') : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: places stands for the points' coordinates
  const drawing = useMemo(() => (fit ? draw(fittedProjection(points)) : WORLD), [fit, places]);
  const markers = useMemo(() => groupPoints(points, drawing.project, 10 * scale), [points, drawing, scale]);
  return (
    <figure className={fit ? 'world-map fitted' : 'world-map'}>
      <svg
        ref={svg}
        data-testid="world-map"
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        aria-label={`${title}. ${t('map.label', { count: markers.length })}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <path className="map-sphere" d={drawing.sphere} />
        <path className="map-land" d={drawing.land} />
        <path className="map-borders" d={drawing.borders} />
        {markers.map((marker) => {
          const count = marker.points.length;
          const radius = markerRadius(count) * scale;
          const label = markerLabel(marker);
          const aria = count > 1 ? `${t('map.here', { count })}: ${label.replaceAll('\n', '; ')}` : label;
          const body = (
            <>
              <title>{count > 1 ? `${t('map.here', { count })}\n${label}` : label}</title>
              <circle
                className="map-marker-halo"
                cx={marker.x}
                cy={marker.y}
                r={radius + 3 * scale}
                style={marker.color ? { fill: marker.color } : undefined}
              />
              <circle
                className="map-marker-dot"
                cx={marker.x}
                cy={marker.y}
                r={radius}
                style={marker.color ? { fill: marker.color } : undefined}
              />
              {count > 1 ? (
                <text
                  className="map-marker-count"
                  x={marker.x}
                  y={marker.y}
                  dy="0.35em"
                  textAnchor="middle"
                  fontSize={10 * scale}
                >
                  {count}
                </text>
              ) : null}
            </>
          );
          const common = {
            className: `map-marker tone-${marker.tone}`,
            'data-testid': 'map-node',
            'data-status': marker.status,
            'data-count': count,
            'aria-label': aria,
          };
          // A marker whose points share a page is a link; others are focusable so the title is reachable.
          return marker.href ? (
            <a key={marker.id} href={marker.href} {...common}>
              {body}
            </a>
          ) : (
            // Focusable so keyboard users reach the name the tooltip shows to mouse users.
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG group named for screen readers, not a control
            <g key={marker.id} role="img" tabIndex={0} {...common}>
              {body}
            </g>
          );
        })}
      </svg>
      {markers.length === 0 ? <figcaption className="muted">{t('map.empty')}</figcaption> : null}
      {legend && markers.length > 0 ? (
        <figcaption className="map-legend">
          <span className="visually-hidden">{t('map.legend')}: </span>
          {TONES.map((tone) => (
            <span key={tone} className={`map-legend-item tone-${tone}`}>
              <span className="map-legend-swatch" aria-hidden="true" />
              {t(TONE_LABEL[tone])}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
