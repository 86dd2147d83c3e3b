// A tiny XML writer for EC2 Query API answers: objects become elements, arrays become <item> lists.

export type XmlValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | XmlValue[]
  | { [name: string]: XmlValue };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function toXml(value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<item>${toXml(item)}</item>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, child]) => child !== undefined && child !== null)
      .map(([name, child]) => `<${name}>${toXml(child)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function responseXml(action: string, requestId: string, body: { [name: string]: XmlValue }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId>${toXml(body)}</${action}Response>`;
}

export function errorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
