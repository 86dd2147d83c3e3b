import { InvalidRequestError, type Tags } from '../spec/index.ts';

/**
 * s2a tags ↔ GCP labels. Label keys and values allow only lower-case letters, digits, "_" and "-"
 * (keys start with a letter; both at most 63 characters), so tags are encoded reversibly:
 *
 * - a key "s2a:<rest>" becomes "s2a-<rest>" ("s2a:mci" → "s2a-mci"), the form people read in the console;
 * - any other character than a-z, 0-9 and "-" (upper case, ":", ".", "_" itself, non-ASCII) becomes
 *   "_" plus the two hex digits of each of its UTF-8 bytes ("Web" → "_57eb", "a_b" → "a_5fb");
 * - a key that itself starts with "s2a-" keeps that "-" escaped ("s2a-x" → "s2a_2dx"), so decoding
 *   "s2a-…" back to "s2a:…" is never ambiguous.
 *
 * Tags whose encoded form breaks the label limits are refused with InvalidRequestError.
 */
export const LABEL_MAX_LENGTH = 63;
const S2A_TAG_PREFIX = 's2a:';
const S2A_LABEL_PREFIX = 's2a-';

function escapeLabel(text: string): string {
  let out = '';
  for (const character of text) {
    if (/^[a-z0-9-]$/.test(character)) {
      out += character;
      continue;
    }
    for (const byte of Buffer.from(character, 'utf8')) out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function unescapeLabel(text: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const character = text[index] ?? '';
    const hex = text.slice(index + 1, index + 3);
    if (character === '_' && /^[0-9a-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(character, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function tagKeyToLabelKey(key: string): string {
  if (key.startsWith(S2A_TAG_PREFIX)) return S2A_LABEL_PREFIX + escapeLabel(key.slice(S2A_TAG_PREFIX.length));
  const escaped = escapeLabel(key);
  return escaped.startsWith(S2A_LABEL_PREFIX) ? `s2a_2d${escaped.slice(S2A_LABEL_PREFIX.length)}` : escaped;
}

export function labelKeyToTagKey(label: string): string {
  if (label.startsWith(S2A_LABEL_PREFIX))
    return S2A_TAG_PREFIX + unescapeLabel(label.slice(S2A_LABEL_PREFIX.length));
  return unescapeLabel(label);
}

export const tagValueToLabelValue = escapeLabel;
export const labelValueToTagValue = unescapeLabel;

/** Encodes tags as labels; throws InvalidRequestError naming each tag that cannot be a label. */
export function tagsToLabels(tags: Tags, operation: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const issues: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const labelKey = tagKeyToLabelKey(key);
    const labelValue = tagValueToLabelValue(value);
    if (!/^[a-z]/.test(labelKey) || labelKey.length > LABEL_MAX_LENGTH) {
      issues.push(
        `tags.${key}: as a GCP label key it becomes "${labelKey}", which must start with a letter and have at most 63 characters`,
      );
    } else if (labelValue.length > LABEL_MAX_LENGTH) {
      issues.push(
        `tags.${key}: as a GCP label value it becomes ${labelValue.length} characters long, over 63`,
      );
    } else {
      labels[labelKey] = labelValue;
    }
  }
  if (issues.length > 0) {
    throw new InvalidRequestError(
      `tags do not fit GCP label rules: ${issues.join('; ')}`,
      { provider: 'gcp', operation },
      issues,
    );
  }
  return labels;
}

export function labelsToTags(labels: Record<string, string> | null | undefined): Tags {
  const tags: Tags = {};
  for (const [key, value] of Object.entries(labels ?? {}))
    tags[labelKeyToTagKey(key)] = labelValueToTagValue(value);
  return tags;
}

/** True when every filter tag is on the resource with the same value. */
export function matchesTags(tags: Tags, filter: Tags | undefined): boolean {
  return Object.entries(filter ?? {}).every(([key, value]) => tags[key] === value);
}
