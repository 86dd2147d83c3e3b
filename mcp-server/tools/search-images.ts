import { z } from 'zod';
import { defineTool, READ_ONLY } from '../tool.ts';

export const ImageOutputSchema = z.object({
  imageId: z
    .string()
    .describe(
      'Image id "provider+region+cspImageId"; pass it as nodeGroups[].imageId to reviewMCI/createMCI',
    ),
  provider: z.string().describe('Provider id'),
  regionId: z.string().describe('Region id "provider+region"; the image only serves specs of this region'),
  cspImageId: z.string().describe("The provider's own image id (AMI id, URN, image family)"),
  name: z.string().describe('Image name'),
  os: z.string().describe('Distribution, lower case: "ubuntu", "debian", "rocky", "windows"'),
  osVersion: z.string().describe('Distribution version, e.g. "22.04"'),
  arch: z.string().describe('x86_64 or arm64; must match the spec'),
  gpuReady: z.boolean().describe('Ships GPU drivers (CUDA/ROCm); prefer it for GPU specs'),
});

export const searchImages = defineTool({
  name: 'searchImages',
  title: 'Search OS images',
  description:
    'Finds OS images (Ubuntu, Debian, Rocky, Windows…) in the catalog by region, distribution, version, architecture, GPU drivers or free text. ' +
    'Use it only when the person wants a specific OS or image: reviewMCI/createMCI choose Ubuntu 22.04 of the right architecture (GPU-ready for GPU specs) when imageId is omitted. ' +
    "Read-only. Next: pass the imageId as nodeGroups[].imageId to reviewMCI, in a node group whose spec is in the image's region and of its architecture.",
  input: z.object({
    region: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'Region id "provider+region" (from searchRegions/searchSpecs), e.g. "aws+ap-northeast-2"; all regions when omitted',
      ),
    os: z
      .string()
      .min(1)
      .max(50)
      .optional()
      .describe('Distribution: "ubuntu", "debian", "rocky", "windows"…'),
    osVersion: z.string().min(1).max(50).optional().describe('Version; "22" also matches "22.04"'),
    arch: z.enum(['x86_64', 'arm64']).optional().describe('CPU architecture; must match the spec'),
    gpuReady: z.boolean().optional().describe('true: only images with GPU drivers; false: only without'),
    text: z.string().min(1).max(200).optional().describe('Free text matched against image names'),
    limit: z
      .number()
      .int()
      .positive()
      .max(100)
      .optional()
      .describe('Images to return, default 10, at most 100'),
  }),
  output: z.object({
    results: z.array(ImageOutputSchema).describe('Matching images'),
    count: z.number().int().describe('How many results are returned'),
  }),
  annotations: READ_ONLY,
  async handler(input, services) {
    const catalog = await services.catalog();
    const images = await catalog.searchImages({ ...input, limit: input.limit ?? 10 });
    const results = images.map((image) => ({
      imageId: image.id,
      provider: image.provider,
      regionId: `${image.provider}+${image.region}`,
      cspImageId: image.cspImageId,
      name: image.name,
      os: image.os,
      osVersion: image.osVersion,
      arch: image.arch,
      gpuReady: image.gpuReady,
    }));
    const lines = results
      .slice(0, 10)
      .map(
        (image, index) =>
          `${index + 1}. ${image.imageId} — ${image.name} (${image.os} ${image.osVersion}, ${image.arch}${image.gpuReady ? ', GPU drivers' : ''})`,
      );
    return {
      structured: { results, count: results.length },
      text:
        results.length === 0
          ? 'No image matches; drop osVersion or text, or omit imageId and let reviewMCI choose Ubuntu 22.04.'
          : lines.join('\n'),
    };
  },
});
