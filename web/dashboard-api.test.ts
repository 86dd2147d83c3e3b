// The dashboard API on a real runtime over a fast sim: an MCI created through the MCP tools, then
// listed, shown and acted on through the handlers, with the confirmation the tools demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest } from './api.ts';
import { handleGetMci, handleListMcis, handleMciAction } from './dashboard-api.ts';
import type {
  ApiErrorBody,
  MciActionNeedsConfirmation,
  MciActionStarted,
  MciListView,
  MciView,
} from './dashboard-types.ts';
import { apiRequest, openWebTestContext, type WebTestContext } from './testing/web-context-kit.ts';

const NAME = 'web-dash';
const AWS_SPEC = 'aws+ap-northeast-2+t3.medium';
const GCP_SPEC = 'gcp+asia-northeast3+e2-medium';

let web: WebTestContext;

beforeAll(async () => {
  web = await openWebTestContext();
}, 120_000);
afterAll(async () => web?.close());

async function list(): Promise<MciListView> {
  const response = await handleListMcis(apiRequest('mcis'), web.context, {});
  expect(response.status).toBe(200);
  return (await response.json()) as MciListView;
}

async function get(name: string): Promise<Response> {
  return handleGetMci(apiRequest(`mcis/${name}`), web.context, { name });
}

async function act(name: string, body: unknown): Promise<Response> {
  return handleMciAction(apiRequest(`mcis/${name}/actions`, { method: 'POST', body }), web.context, { name });
}

async function liveAwsVms(): Promise<number> {
  const driver = await web.context.runtime.driver('aws');
  return (await driver.listVms()).filter((vm) => vm.status !== 'Terminated').length;
}

/** Polls GET /api/mcis/:name until `done` holds for the view (or the MCI is gone: null). */
async function until(name: string, done: (view: MciView | null) => boolean): Promise<MciView | null> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await get(name);
    const view = response.status === 404 ? null : ((await response.json()) as MciView);
    if (done(view)) return view;
    if (Date.now() > deadline) throw new Error(`timed out; last view ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /api/mcis', () => {
  it('answers an empty list before anything exists', async () => {
    expect(await list()).toEqual({ mcis: [], totalPricePerHour: 0 });
  });

  it('lists an MCI made through the tools with its nodes on the map', async () => {
    const created = await web.context.tools.callTool('createMCI', {
      name: NAME,
      nodeGroups: [
        { name: 'web', specId: AWS_SPEC, size: 2 },
        { name: 'db', specId: GCP_SPEC, size: 1 },
      ],
      confirm: true,
      wait: true,
    });
    expect(created.error).toBeUndefined();
    await until(NAME, (view) => view?.transitional === false);

    const { mcis, totalPricePerHour } = await list();
    expect(mcis).toHaveLength(1);
    const [mci] = mcis;
    expect(mci?.name).toBe(NAME);
    expect(mci?.status).toMatch(/^Running/);
    expect(mci?.transitional).toBe(false);
    expect(mci?.nodesTotal).toBe(3);
    expect(mci?.pricePerHour).toBeGreaterThan(0);
    expect(totalPricePerHour).toBeCloseTo(mci?.pricePerHour ?? 0, 6);
    expect(mci?.providers).toEqual(
      expect.arrayContaining([
        { provider: 'aws', nodes: 2 },
        { provider: 'gcp', nodes: 1 },
      ]),
    );
    for (const node of mci?.nodes ?? []) {
      expect(node.status).toBe('Running');
      expect(node.regionName).toMatch(/Seoul/i);
      // Both regions are in Seoul: 37.5° N, 127° E.
      expect(node.latitude).toBeGreaterThan(36);
      expect(node.latitude).toBeLessThan(38.5);
      expect(node.longitude).toBeGreaterThan(126);
      expect(node.longitude).toBeLessThan(128);
      expect(node.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(node.specId).toBe(node.provider === 'aws' ? AWS_SPEC : GCP_SPEC);
    }
  });
});

describe('GET /api/mcis/:name', () => {
  it('shows one MCI with the fields the live progress card reads', async () => {
    const response = await get(NAME);
    expect(response.status).toBe(200);
    const view = (await response.json()) as MciView;
    expect(view.name).toBe(NAME);
    expect(view.pricePerMonth).toBeCloseTo(view.pricePerHour * 730, 0);
    expect(view.apps).toEqual([]);
    expect(view.endpoints).toEqual([]);
    expect(view.nodes.map((node) => node.name).sort()).toEqual(['db-1', 'web-1', 'web-2']);
    for (const node of view.nodes) {
      expect(Object.keys(node)).toEqual(
        expect.arrayContaining(['name', 'group', 'status', 'provider', 'regionId', 'regionName', 'latitude']),
      );
    }
    expect(view.recentOperations[0]?.kind).toBe('create');
  });

  it('answers 404 with a next step for an unknown or impossible name', async () => {
    for (const name of ['no-such-mci', 'Not A Name!']) {
      const response = await get(name);
      expect(response.status).toBe(404);
      const body = (await response.json()) as ApiErrorBody;
      expect(body.error.code).toBe('MCI_NOT_FOUND');
      expect(body.error.next).toMatch(/dashboard/);
    }
  });
});

describe('POST /api/mcis/:name/actions', () => {
  it('refuses a body it cannot read, with the shape to send', async () => {
    for (const body of ['{not json', { action: 'explode' }, { action: 'delete', confirm: 'yes' }, {}]) {
      const response = await act(NAME, body);
      expect(response.status).toBe(400);
      const error = ((await response.json()) as ApiErrorBody).error;
      expect(error.next).toMatch(/"action"/);
    }
  });

  it('answers delete without confirm with the review and changes nothing', async () => {
    const before = await liveAwsVms();
    const response = await act(NAME, { action: 'delete' });
    expect(response.status).toBe(200);
    const { needsConfirmation, review } = (await response.json()) as MciActionNeedsConfirmation;
    expect(needsConfirmation).toBe(true);
    expect(review.action).toBe('delete');
    expect(review.destructive).toBe(true);
    expect(review.nodes.sort()).toEqual(['db-1', 'web-1', 'web-2']);
    expect(review.summary).toMatch(/cannot be undone/);
    expect(review.pricePerHour).toBeGreaterThan(0);
    expect(review.pricePerHourChange).toBeCloseTo(-review.pricePerHour, 4);

    expect(await liveAwsVms()).toBe(before);
    const view = (await (await get(NAME)).json()) as MciView;
    expect(view.nodes.every((node) => node.status === 'Running')).toBe(true);
    expect(view.recentOperations.map((operation) => operation.kind)).toEqual(['create']);
  });

  it('answers 404 for an action on an MCI that does not exist', async () => {
    const response = await act('no-such-mci', { action: 'suspend' });
    expect(response.status).toBe(404);
  });

  it('suspends only after confirm, then resumes', async () => {
    const review = await act(NAME, { action: 'suspend' });
    expect(review.status).toBe(200);
    const body = (await review.json()) as MciActionNeedsConfirmation;
    expect(body.needsConfirmation).toBe(true);
    expect(body.review.destructive).toBe(false);
    expect(body.review.pricePerHourChange).toBeLessThanOrEqual(0);
    expect(body.review.costNote).toMatch(/\$/);
    expect(((await (await get(NAME)).json()) as MciView).status).toMatch(/^Running/);

    const started = await act(NAME, { action: 'suspend', confirm: true });
    expect(started.status).toBe(202);
    const operation = (await started.json()) as MciActionStarted;
    expect(operation.operationId).toMatch(/^op-/);
    expect(operation.nodes).toHaveLength(3);
    const suspended = await until(
      NAME,
      (view) => view?.transitional === false && view.nodes.every((node) => node.status === 'Suspended'),
    );
    expect(suspended?.status).toMatch(/Suspended/);

    const resumed = await act(NAME, { action: 'resume', confirm: true });
    expect(resumed.status).toBe(202);
    await until(
      NAME,
      (view) => view?.transitional === false && view.nodes.every((node) => node.status === 'Running'),
    );
  });

  it('deletes once confirmed: the MCI goes away and its VMs with it', async () => {
    const response = await act(NAME, { action: 'delete', confirm: true });
    expect(response.status).toBe(202);
    const started = (await response.json()) as MciActionStarted;
    expect(started.action).toBe('delete');
    expect(started.nodes).toHaveLength(3);
    await until(NAME, (view) => view === null);
    expect(await liveAwsVms()).toBe(0);
    expect((await list()).mcis).toEqual([]);
  });
});

describe('the routes in /api', () => {
  it('reach the dashboard handlers, and refuse what a page on another site sends', async () => {
    const listed = await handleApiRequest(apiRequest('mcis'), web.context);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as MciListView).mcis).toEqual([]);
    expect((await handleApiRequest(apiRequest('catalog/specs?limit=0'), web.context)).status).toBe(400);
    expect((await handleApiRequest(apiRequest('mcis/x', { method: 'DELETE' }), web.context)).status).toBe(
      405,
    );
    const crossSite = new Request('http://127.0.0.1:3000/api/mcis/x/actions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ action: 'delete', confirm: true }),
    });
    expect((await handleApiRequest(crossSite, web.context)).status).toBe(403);
  });
});
