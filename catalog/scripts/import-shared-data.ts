/**
 * Copies the catalog facts s2a needs from the shared data collection into catalog/data, so a clone
 * of the repository carries its own data (nothing at run time reads outside the repository).
 *
 * usage: npm run data:import [-- <path to the data folder>]
 * Without an argument it reads ../shared/data relative to the repository root.
 *
 * Files keep their original names and folders; each source folder's SOURCES.md is copied next to
 * them, and catalog/data/README.md is rewritten with attribution, licences and a sha256 per file.
 * The output is deterministic (no timestamps), so re-running on the same input changes nothing.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SourceFolder {
  folder: string;
  title: string;
  repositories: string[];
  licence: string;
  /** Paths inside the folder; a trailing `*_region_meta.yaml` style glob is allowed in the last segment. */
  files: string[];
}

const SOURCES: SourceFolder[] = [
  {
    folder: 'cloud-barista',
    title: 'Cloud-Barista (CB-Tumblebug assets and CB-Spider region metadata)',
    repositories: [
      'https://github.com/cloud-barista/cb-tumblebug',
      'https://github.com/cloud-barista/cb-spider',
    ],
    licence:
      'Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0). Notice: "Copyright (C) 2019- Cloud-Barista Community" (cb-spider NOTICE.md). Files are unmodified copies.',
    files: [
      'SOURCES.md',
      'cb-tumblebug-assets/cloudinfo.yaml',
      'cb-tumblebug-assets/cloudspec.csv',
      'cb-tumblebug-assets/cloudimage.csv',
      'cb-tumblebug-assets/cloudlatencymap.csv',
      'cb-tumblebug-legacy-v0.11.0/cloudspec.csv',
      'cb-tumblebug-legacy-v0.11.0/cloudimage.csv',
      'cb-spider-region-meta/*_region_meta.yaml',
    ],
  },
  {
    folder: 'aws-ec2-catalog',
    title: 'AWS EC2 instance catalog by region (composite of five public sources)',
    repositories: [
      'https://github.com/skypilot-org/skypilot-catalog',
      'https://github.com/aws/karpenter-provider-aws',
      'https://github.com/flexera-public/policy_templates',
      'https://github.com/tsaol/aws-gpu',
      'https://github.com/tedivm/ec2details',
    ],
    licence:
      'Composite. Karpenter: Apache-2.0. Flexera policy_templates: MIT, "Copyright (c) 2017-2018 RightScale". tsaol/aws-gpu: MIT (stated in its README). tedivm/ec2details: MIT, "Copyright (c) 2018 Robert Hafner". SkyPilot catalog: no licence stated. See aws-ec2-catalog/SOURCES.md for which source each cell came from.',
    files: ['SOURCES.md', 'aws_ec2_catalog_by_region.csv'],
  },
  {
    folder: 'anycloud-sh-catalog',
    title: 'anycloud-sh/catalog (SkyPilot-format VM catalogs)',
    repositories: ['https://github.com/anycloud-sh/catalog'],
    licence: 'No licence stated by the repository (its data derive from skypilot-org/skypilot-catalog).',
    files: ['SOURCES.md', 'azure/vms.csv', 'gcp/vms.csv'],
  },
  {
    folder: 'skypilot-catalog',
    title: 'skypilot-org/skypilot-catalog (partial copy)',
    repositories: ['https://github.com/skypilot-org/skypilot-catalog'],
    licence: 'No licence stated by the repository.',
    files: [
      'SOURCES.md',
      'catalogs/v8/aws/images.csv',
      'catalogs/v8/gcp/images.csv',
      'catalogs/v5/azure/images.csv',
      'catalogs/v5/ibm/vms.csv',
      'catalogs/v8/common/accelerators.csv',
    ],
  },
  {
    folder: 'mcp-server-cloud-regions',
    title: 'jasonwilbur/mcp-server-cloud-regions (region locations)',
    repositories: ['https://github.com/jasonwilbur/mcp-server-cloud-regions'],
    licence: 'MIT, "Copyright (c) 2025 Jason Wilbur" (full text below).',
    files: ['SOURCES.md', 'data/regions.json'],
  },
];

const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.`;

interface CopiedFile {
  path: string;
  bytes: number;
  sha256: string;
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const targetRoot = join(repositoryRoot, 'catalog', 'data');

/** Expands a path whose last segment may hold one `*`, against the source folder. */
function expand(sourceFolder: string, pattern: string): string[] {
  if (!pattern.includes('*')) return [pattern];
  const directory = dirname(pattern);
  const [prefix, suffix] = pattern.slice(directory.length + 1).split('*') as [string, string];
  const names = readdirSync(join(sourceFolder, directory))
    .filter((name) => name.startsWith(prefix) && name.endsWith(suffix))
    .sort();
  if (names.length === 0) throw new Error(`no file matches ${pattern} in ${sourceFolder}`);
  return names.map((name) => join(directory, name));
}

function copySource(sourceRoot: string, source: SourceFolder): CopiedFile[] {
  const sourceFolder = join(sourceRoot, source.folder);
  const copied: CopiedFile[] = [];
  for (const pattern of source.files) {
    for (const path of expand(sourceFolder, pattern)) {
      const from = join(sourceFolder, path);
      if (!existsSync(from)) throw new Error(`missing source file ${from}`);
      const to = join(targetRoot, source.folder, path);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
      const content = readFileSync(to);
      copied.push({
        path: relative(targetRoot, to).split('\\').join('/'),
        bytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
      });
    }
  }
  return copied;
}

function readme(copiedBySource: Map<SourceFolder, CopiedFile[]>): string {
  const lines: string[] = [
    '# catalog/data: copied source data',
    '',
    'Generated by `catalog/scripts/import-shared-data.ts` (`npm run data:import`); do not edit by hand.',
    "These are unmodified copies of public data files, kept with their original names. Each source folder's",
    '`SOURCES.md` (also copied) records the upstream repository, commit, columns and caveats.',
    'The loaders in `catalog/load/` read only from this folder.',
    '',
  ];
  let totalBytes = 0;
  for (const [source, files] of copiedBySource) {
    lines.push(`## ${source.folder}/: ${source.title}`, '');
    lines.push(`- Upstream: ${source.repositories.join(', ')}`);
    lines.push(`- Licence: ${source.licence}`, '');
    lines.push('| file | bytes | sha256 |', '|---|---:|---|');
    for (const file of files) {
      lines.push(`| \`${file.path}\` | ${file.bytes} | \`${file.sha256}\` |`);
      totalBytes += file.bytes;
    }
    lines.push('');
  }
  lines.push(
    `Total: ${[...copiedBySource.values()].flat().length} files, ${totalBytes} bytes.`,
    '',
    '## Licence texts',
    '',
    '### Apache License 2.0 (Cloud-Barista; Karpenter)',
    '',
    'Copyright (C) 2019- Cloud-Barista Community. Licensed under the Apache License, Version 2.0 (the "License");',
    'you may not use these files except in compliance with the License. You may obtain a copy of the License at',
    'https://www.apache.org/licenses/LICENSE-2.0. Unless required by applicable law or agreed to in writing,',
    'software distributed under the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS',
    'OF ANY KIND, either express or implied. See the License for the specific language governing permissions and',
    'limitations under the License.',
    '',
    '### MIT (mcp-server-cloud-regions; Flexera policy_templates, tsaol/aws-gpu and tedivm/ec2details via aws-ec2-catalog)',
    '',
    'Copyright (c) 2025 Jason Wilbur',
    'Copyright (c) 2017-2018 RightScale',
    'Copyright (c) 2018 Robert Hafner',
    '',
    MIT_TEXT,
    '',
    '### No licence stated',
    '',
    "skypilot-org/skypilot-catalog and anycloud-sh/catalog state no licence. They list cloud providers' public",
    'prices and specifications; we copy them with attribution and treat their terms as unstated.',
    '',
  );
  return lines.join('\n');
}

function main(): void {
  const argument = process.argv[2];
  const sourceRoot = argument ? resolve(argument) : resolve(repositoryRoot, '..', 'shared', 'data');
  if (!existsSync(sourceRoot)) {
    console.error(`source data folder not found: ${sourceRoot}`);
    process.exit(2);
  }
  // Start from an empty folder so files dropped from the list do not linger.
  rmSync(targetRoot, { recursive: true, force: true });
  mkdirSync(targetRoot, { recursive: true });
  const copiedBySource = new Map<SourceFolder, CopiedFile[]>();
  for (const source of SOURCES) copiedBySource.set(source, copySource(sourceRoot, source));
  writeFileSync(join(targetRoot, 'README.md'), readme(copiedBySource));
  const files = [...copiedBySource.values()].flat();
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(`copied ${files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) into ${targetRoot}`);
}

main();
