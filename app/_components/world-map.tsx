'use client';
// The world map, drawn offline: Natural Earth countries (world-atlas, bundled) projected with d3-geo
// into an SVG that scales with its container. Markers group what would overlap and show a count.
import { geoPath } from 'd3-geo';
import { useMemo } from 'react';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { type MessageKey, useT } from '../_lib/i18n.ts';
import {
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

// The land is the same for every map on every render: projected once per page load.
const projection = worldProjection();
const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
const path = geoPath(projection);
const LAND = path(feature(topology, topology.objects.countries)) ?? '';
const BORDERS = path(mesh(topology, topology.objects.countries, (a, b) => a !== b)) ?? '';
const SPHERE = path({ type: 'Sphere' }) ?? '';
const project = (coordinates: [number, number]) => projection(coordinates);

function markerLabel(marker: MapMarker): string {
  return marker.points.map((point) => point.label).join('\n');
}

export interface WorldMapProps {
  points: readonly MapPoint[];
  /** What the map shows, for screen readers, e.g. "Nodes of all MCIs". */
  title: string;
  /** Draw the status legend (off for maps whose points have colours, not statuses). */
  legend?: boolean;
}

export function WorldMap({ points, title, legend = true }: WorldMapProps) {
  const t = useT();
  const markers = useMemo(() => groupPoints(points, project), [points]);
  return (
    <figure className="world-map">
      <svg
        data-testid="world-map"
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        aria-label={`${title}. ${t('map.label', { count: markers.length })}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <path className="map-sphere" d={SPHERE} />
        <path className="map-land" d={LAND} />
        <path className="map-borders" d={BORDERS} />
        {markers.map((marker) => {
          const count = marker.points.length;
          const radius = markerRadius(count);
          const label = markerLabel(marker);
          const aria = count > 1 ? `${t('map.here', { count })}: ${label.replaceAll('\n', '; ')}` : label;
          const body = (
            <>
              <title>{count > 1 ? `${t('map.here', { count })}\n${label}` : label}</title>
              <circle
                className="map-marker-halo"
                cx={marker.x}
                cy={marker.y}
                r={radius + 3}
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
                <text className="map-marker-count" x={marker.x} y={marker.y} dy="0.35em" textAnchor="middle">
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
