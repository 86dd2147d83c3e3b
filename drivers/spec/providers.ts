/**
 * The ten providers s2a speaks to, in display order. A file of its own, free of zod, so the browser
 * (app/) can list them without bundling the contract's schemas.
 */
export const PROVIDERS = [
  'aws',
  'azure',
  'gcp',
  'alibaba',
  'tencent',
  'ibm',
  'openstack',
  'ncp',
  'nhn',
  'kt',
] as const;
