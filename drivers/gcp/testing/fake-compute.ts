import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOnFreePort, readJsonBody, sendJson } from '../../spec/testing/json-server.ts';
import {
  FIXTURE_ACCELERATOR_TYPES,
  FIXTURE_IMAGES,
  FIXTURE_MACHINE_TYPES,
  FIXTURE_REGIONS,
  FIXTURE_ZONES,
} from './fixtures.ts';

/**
 * A local Compute Engine v1 REST server for wire-level tests: it answers what @google-cloud/compute
 * sends in REST fallback mode (`/compute/v1/projects/{project}/…`, JSON bodies, `pageToken`
 * pagination, Operation resources for mutations, `zoneOperations.get`/`wait`), with in-memory
 * state and the provider's error bodies. Instances move through their statuses one step per read,
 * so tests poll instead of sleeping.
 */

type Json = Record<string, unknown>;

interface ErrorReply {
  status: number;
  reason: string;
  message: string;
  statusText?: string;
}

interface OperationRecord {
  resource: Json;
  /** Error a finished operation reports (capacity, quota, dependency). */
  failure?: { code: string; message: string; httpStatus: number };
  /** Reads left before the operation is DONE. */
  readsLeft: number;
}

interface InstanceRecord {
  resource: Json;
  /** Statuses still to pass through, one per observation. */
  pending: string[];
  /** Removed after the last pending status was observed. */
  deleting: boolean;
}

/** A request the server received, for tests that check what the library sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** A one-shot failure for the next request matching `method` and `path`. */
interface Provocation {
  method: string;
  path: RegExp;
  reply: { http: ErrorReply } | { operation: { code: string; message: string; httpStatus: number } };
}

const PAGE_SIZE = 2;

export class FakeCompute {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private baseUrl = 'https://compute.googleapis.com/compute/v1';
  private nextId = 1000;
  private readonly networks = new Map<string, Json>();
  private readonly subnetworks = new Map<string, Json>();
  private readonly firewalls = new Map<string, Json>();
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly operations = new Map<string, OperationRecord>();
  private readonly provocations: Provocation[] = [];
  private readonly nextAddress = new Map<string, number>();
  /** Reads an operation stays RUNNING, so drivers must wait for it. */
  operationReads = 1;

  async start(): Promise<number> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.sendError(response, { status: 500, reason: 'internalError', message: String(error) });
      });
    });
    return listenOnFreePort(this.server);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeNow(server);
  }

  /** The next `method` request whose path matches fails with this HTTP error body. */
  failNextHttp(method: string, path: RegExp, error: ErrorReply): void {
    this.provocations.push({ method, path, reply: { http: error } });
  }

  /** The next matching mutation is accepted, and its Operation finishes with this error. */
  failNextOperation(method: string, path: RegExp, code: string, message: string, httpStatus: number): void {
    this.provocations.push({ method, path, reply: { operation: { code, message, httpStatus } } });
  }

  clearProvocations(): void {
    this.provocations.length = 0;
  }

  /** Instance resource by zone and name, as stored (tests inspect metadata and labels). */
  instance(zone: string, name: string): Json | undefined {
    return this.instances.get(`${zone}/${name}`)?.resource;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readJsonBody(request);
    const query = Object.fromEntries(url.searchParams.entries());
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query, body });

    if (request.headers.authorization === undefined) {
      this.sendError(response, {
        status: 401,
        reason: 'required',
        message: 'Login Required.',
        statusText: 'UNAUTHENTICATED',
      });
      return;
    }
    const match = /^\/compute\/v1\/projects\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!match) {
      this.sendError(response, { status: 404, reason: 'notFound', message: `no route for ${url.pathname}` });
      return;
    }
    const [, project = '', rest = ''] = match;
    const index = this.provocations.findIndex((item) => item.method === method && item.path.test(rest));
    const provocation = index >= 0 ? this.provocations.splice(index, 1)[0] : undefined;
    if (provocation && 'http' in provocation.reply) {
      this.sendError(response, provocation.reply.http);
      return;
    }
    const context: RouteContext = {
      project,
      method,
      path: rest,
      query,
      body: (body ?? {}) as Json,
      ...(provocation && 'operation' in provocation.reply
        ? { failOperation: provocation.reply.operation }
        : {}),
    };
    const reply = this.route(context);
    if ('error' in reply) this.sendError(response, reply.error);
    else sendJson(response, 200, reply.json);
  }

  private route(context: RouteContext): { json: unknown } | { error: ErrorReply } {
    const { method, path, project } = context;
    const parts = path.split('/');
    const link = (suffix: string) => `${this.baseUrl}/projects/${project}/${suffix}`;

    // Image projects are other projects: GET projects/ubuntu-os-cloud/global/images[/name].
    if (parts[0] === 'global' && parts[1] === 'images' && method === 'GET') {
      const images = (FIXTURE_IMAGES[project] ?? []).map((image, position) => ({
        kind: 'compute#image',
        id: String(9_000 + position),
        status: 'READY',
        selfLink: link(`global/images/${image.name}`),
        ...image,
      }));
      if (parts[2])
        return found(
          images.find((image) => image.name === parts[2]),
          `projects/${project}/global/images/${parts[2]}`,
        );
      return this.page('compute#imageList', images, context.query);
    }
    if (parts[0] === 'regions' && parts.length === 1) {
      return this.page(
        'compute#regionList',
        FIXTURE_REGIONS.map((region) => this.region(project, region)),
        context.query,
      );
    }
    if (parts[0] === 'regions' && parts.length === 2) {
      const region = FIXTURE_REGIONS.find((name) => name === parts[1]);
      return found(
        region ? this.region(project, region) : undefined,
        `projects/${project}/regions/${parts[1]}`,
      );
    }
    if (parts[0] === 'zones' && parts.length === 1) {
      return this.page(
        'compute#zoneList',
        this.allZones().map((zone) => this.zone(project, zone)),
        context.query,
      );
    }
    if (parts[0] === 'aggregated' && parts[1] === 'machineTypes') {
      return this.aggregated('machineTypes', (zone) => this.machineTypes(project, zone));
    }
    if (parts[0] === 'aggregated' && parts[1] === 'acceleratorTypes') {
      return this.aggregated('acceleratorTypes', (zone) => this.acceleratorTypes(project, zone));
    }
    if (parts[0] === 'aggregated' && parts[1] === 'instances') {
      return this.aggregated('instances', (zone) => this.zoneInstances(zone));
    }
    if (parts[0] === 'aggregated' && parts[1] === 'subnetworks') {
      const items: Record<string, unknown> = {};
      for (const region of FIXTURE_REGIONS) {
        const list = [...this.subnetworks.entries()]
          .filter(([id]) => id.startsWith(`${region}/`))
          .map(([, item]) => item);
        items[`regions/${region}`] =
          list.length > 0
            ? { subnetworks: list }
            : { warning: { code: 'NO_RESULTS_ON_PAGE', message: 'none' } };
      }
      return { json: { kind: 'compute#subnetworkAggregatedList', items } };
    }
    if (parts[0] === 'zones' && parts[1] !== undefined) {
      const zone = parts[1];
      if (!this.allZones().includes(zone)) return notFound(`projects/${project}/zones/${zone}`);
      if (parts[2] === 'machineTypes') {
        const types = this.machineTypes(project, zone);
        if (parts[3])
          return found(
            types.find((type) => type.name === parts[3]),
            `projects/${project}/zones/${zone}/machineTypes/${parts[3]}`,
          );
        return this.page('compute#machineTypeList', types, context.query);
      }
      if (parts[2] === 'acceleratorTypes') {
        const types = this.acceleratorTypes(project, zone);
        if (parts[3])
          return found(
            types.find((type) => type.name === parts[3]),
            `projects/${project}/zones/${zone}/acceleratorTypes/${parts[3]}`,
          );
        return this.page('compute#acceleratorTypeList', types, context.query);
      }
      if (parts[2] === 'operations' && parts[3]) return this.operation(parts[3]);
      if (parts[2] === 'instances') return this.instanceRoute(context, zone, parts[3], parts[4], link);
    }
    if (parts[0] === 'global' && parts[1] === 'operations' && parts[2]) return this.operation(parts[2]);
    if (parts[0] === 'regions' && parts[2] === 'operations' && parts[3]) return this.operation(parts[3]);
    if (parts[0] === 'global' && parts[1] === 'networks') return this.networkRoute(context, parts[2], link);
    if (parts[0] === 'global' && parts[1] === 'firewalls') return this.firewallRoute(context, parts[2], link);
    if (parts[0] === 'regions' && parts[1] && parts[2] === 'subnetworks') {
      return this.subnetworkRoute(context, parts[1], parts[3], link);
    }
    return {
      error: {
        status: 404,
        reason: 'notFound',
        message: `The resource 'projects/${project}/${path}' was not found`,
      },
    };
  }

  private networkRoute(context: RouteContext, name: string | undefined, link: (suffix: string) => string) {
    const { method, body } = context;
    if (method === 'GET' && !name)
      return this.page('compute#networkList', [...this.networks.values()], context.query);
    if (method === 'GET' && name)
      return found(this.networks.get(name), `projects/${context.project}/global/networks/${name}`);
    if (method === 'POST' && !name) {
      const networkName = String(body.name ?? '');
      if (this.networks.has(networkName))
        return alreadyExists(`projects/${context.project}/global/networks/${networkName}`);
      const selfLink = link(`global/networks/${networkName}`);
      this.networks.set(networkName, {
        kind: 'compute#network',
        ...this.identity(),
        ...body,
        selfLink,
        subnetworks: [],
      });
      return this.newOperation(context, 'insert', selfLink);
    }
    if (method === 'DELETE' && name) {
      const network = this.networks.get(name);
      if (!network) return notFound(`projects/${context.project}/global/networks/${name}`);
      const users = [...this.subnetworks.values(), ...this.firewalls.values()].filter(
        (item) => item.network === network.selfLink,
      );
      if (users.length > 0) {
        return {
          error: {
            status: 400,
            reason: 'resourceInUseByAnotherResource',
            message: `The network resource '${String(network.selfLink)}' is already being used by '${String(users[0]?.selfLink)}'`,
          },
        };
      }
      this.networks.delete(name);
      return this.newOperation(context, 'delete', String(network.selfLink));
    }
    return badMethod(context);
  }

  private subnetworkRoute(
    context: RouteContext,
    region: string,
    name: string | undefined,
    link: (suffix: string) => string,
  ) {
    const { method, body } = context;
    const key = (subnet: string) => `${region}/${subnet}`;
    if (!FIXTURE_REGIONS.some((known) => known === region))
      return notFound(`projects/${context.project}/regions/${region}`);
    if (method === 'GET' && !name) {
      return this.page(
        'compute#subnetworkList',
        [...this.subnetworks.entries()].filter(([id]) => id.startsWith(`${region}/`)).map(([, item]) => item),
        context.query,
      );
    }
    if (method === 'GET' && name)
      return found(
        this.subnetworks.get(key(name)),
        `projects/${context.project}/regions/${region}/subnetworks/${name}`,
      );
    if (method === 'POST' && !name) {
      const subnetName = String(body.name ?? '');
      if (this.subnetworks.has(key(subnetName)))
        return alreadyExists(`projects/${context.project}/regions/${region}/subnetworks/${subnetName}`);
      const network = [...this.networks.values()].find(
        (item) => item.selfLink === body.network || item.name === lastPart(body.network),
      );
      if (!network)
        return {
          error: {
            status: 400,
            reason: 'invalid',
            message: `Invalid value for field 'resource.network': '${String(body.network)}'. The referenced network resource cannot be found.`,
          },
        };
      const selfLink = link(`regions/${region}/subnetworks/${subnetName}`);
      this.subnetworks.set(key(subnetName), {
        kind: 'compute#subnetwork',
        ...this.identity(),
        ...body,
        network: network.selfLink,
        region: link(`regions/${region}`),
        gatewayAddress: firstHost(String(body.ipCidrRange ?? '')),
        selfLink,
      });
      return this.newOperation(context, 'insert', selfLink, { region });
    }
    if (method === 'DELETE' && name) {
      const subnet = this.subnetworks.get(key(name));
      if (!subnet) return notFound(`projects/${context.project}/regions/${region}/subnetworks/${name}`);
      const used = [...this.instances.values()].some((instance) =>
        (instance.resource.networkInterfaces as Json[] | undefined)?.some(
          (nic) => nic.subnetwork === subnet.selfLink,
        ),
      );
      if (used) {
        return {
          error: {
            status: 400,
            reason: 'resourceInUseByAnotherResource',
            message: `The subnetwork resource '${String(subnet.selfLink)}' is already being used by an instance`,
          },
        };
      }
      this.subnetworks.delete(key(name));
      return this.newOperation(context, 'delete', String(subnet.selfLink), { region });
    }
    return badMethod(context);
  }

  private firewallRoute(context: RouteContext, name: string | undefined, link: (suffix: string) => string) {
    const { method, body } = context;
    if (method === 'GET' && !name)
      return this.page('compute#firewallList', [...this.firewalls.values()], context.query);
    if (method === 'GET' && name)
      return found(this.firewalls.get(name), `projects/${context.project}/global/firewalls/${name}`);
    if (method === 'POST' && !name) {
      const firewallName = String(body.name ?? '');
      if (this.firewalls.has(firewallName))
        return alreadyExists(`projects/${context.project}/global/firewalls/${firewallName}`);
      const network = [...this.networks.values()].find(
        (item) => item.selfLink === body.network || item.name === lastPart(body.network),
      );
      if (!network)
        return {
          error: {
            status: 400,
            reason: 'invalid',
            message: `Invalid value for field 'resource.network': '${String(body.network)}'. The referenced network resource cannot be found.`,
          },
        };
      const selfLink = link(`global/firewalls/${firewallName}`);
      this.firewalls.set(firewallName, {
        kind: 'compute#firewall',
        ...this.identity(),
        ...body,
        network: network.selfLink,
        selfLink,
      });
      return this.newOperation(context, 'insert', selfLink);
    }
    if (method === 'DELETE' && name) {
      const firewall = this.firewalls.get(name);
      if (!firewall) return notFound(`projects/${context.project}/global/firewalls/${name}`);
      this.firewalls.delete(name);
      return this.newOperation(context, 'delete', String(firewall.selfLink));
    }
    return badMethod(context);
  }

  private instanceRoute(
    context: RouteContext,
    zone: string,
    name: string | undefined,
    action: string | undefined,
    link: (suffix: string) => string,
  ) {
    const { method, body, project } = context;
    const key = (instance: string) => `${zone}/${instance}`;
    const path = `projects/${project}/zones/${zone}/instances/${name ?? ''}`;
    if (method === 'GET' && !name)
      return this.page('compute#instanceList', this.zoneInstances(zone), context.query);
    if (method === 'GET' && name) {
      const record = this.instances.get(key(name));
      return found(record ? this.observe(key(name), record) : undefined, path);
    }
    if (method === 'POST' && !name) {
      const instanceName = String(body.name ?? '');
      if (this.instances.has(key(instanceName)))
        return alreadyExists(`projects/${project}/zones/${zone}/instances/${instanceName}`);
      const machineType = lastPart(body.machineType);
      if (!this.machineTypes(project, zone).some((type) => type.name === machineType)) {
        return {
          error: {
            status: 400,
            reason: 'invalid',
            message: `Invalid value for field 'resource.machineType': '${String(body.machineType)}'. Machine type with name '${machineType}' does not exist in zone '${zone}'.`,
          },
        };
      }
      // Attached GPUs: the accelerator type must exist in the zone, within its cards per instance.
      const attached = ((body.guestAccelerators as Json[] | undefined) ?? []).map((item) => ({
        acceleratorType: lastPart(item.acceleratorType),
        acceleratorCount: Number(item.acceleratorCount ?? 0),
      }));
      for (const { acceleratorType, acceleratorCount } of attached) {
        const offered = this.acceleratorTypes(project, zone).find((type) => type.name === acceleratorType);
        if (!offered || acceleratorCount > Number(offered.maximumCardsPerInstance ?? 0)) {
          return {
            error: {
              status: 400,
              reason: 'invalid',
              message: `Invalid value for field 'resource.guestAccelerators[0].acceleratorType': '${acceleratorType}'. Accelerator type '${acceleratorType}' with ${acceleratorCount} cards is not available in zone '${zone}'.`,
            },
          };
        }
      }
      const disks = (body.disks as Json[] | undefined) ?? [];
      const sourceImage = String((disks[0]?.initializeParams as Json | undefined)?.sourceImage ?? '');
      const imageMatch = /projects\/([^/]+)\/global\/images\/([^/]+)$/.exec(sourceImage);
      if (
        !imageMatch ||
        !(FIXTURE_IMAGES[imageMatch[1] ?? ''] ?? []).some((image) => image.name === imageMatch[2])
      ) {
        return notFound(sourceImage);
      }
      const nics = (body.networkInterfaces as Json[] | undefined) ?? [];
      const subnetLink = String(nics[0]?.subnetwork ?? '');
      const subnet = [...this.subnetworks.values()].find((item) =>
        String(item.selfLink).endsWith(subnetLink.replace(/^.*?(regions\/)/, 'regions/')),
      );
      if (!subnet) return notFound(subnetLink);
      if (context.failOperation)
        return this.newOperation(
          context,
          'insert',
          link(`zones/${zone}/instances/${instanceName}`),
          { zone },
          context.failOperation,
        );
      const selfLink = link(`zones/${zone}/instances/${instanceName}`);
      const diskSizeGb = String((disks[0]?.initializeParams as Json | undefined)?.diskSizeGb ?? '10');
      this.instances.set(key(instanceName), {
        resource: {
          kind: 'compute#instance',
          ...this.identity(),
          ...body,
          zone: link(`zones/${zone}`),
          machineType: link(`zones/${zone}/machineTypes/${machineType}`),
          ...(attached.length > 0
            ? {
                guestAccelerators: attached.map((item) => ({
                  ...item,
                  acceleratorType: link(`zones/${zone}/acceleratorTypes/${item.acceleratorType}`),
                })),
              }
            : {}),
          status: 'PROVISIONING',
          selfLink,
          labelFingerprint: 'fp-1',
          disks: [
            {
              boot: true,
              autoDelete: true,
              deviceName: instanceName,
              diskSizeGb,
              source: link(`zones/${zone}/disks/${instanceName}`),
            },
          ],
          networkInterfaces: [
            {
              name: 'nic0',
              network: subnet.network,
              subnetwork: subnet.selfLink,
              networkIP: this.allocateAddress(String(subnet.selfLink), String(subnet.ipCidrRange)),
              accessConfigs: [
                {
                  type: 'ONE_TO_ONE_NAT',
                  name: 'External NAT',
                  natIP: `34.64.${this.nextId % 250}.${(this.nextId >> 8) % 250}`,
                },
              ],
            },
          ],
        },
        pending: ['STAGING', 'RUNNING'],
        deleting: false,
      });
      return this.newOperation(context, 'insert', selfLink, { zone });
    }
    if (!name) return badMethod(context);
    const record = this.instances.get(key(name));
    if (!record || record.deleting) {
      return method === 'DELETE' && record
        ? this.newOperation(context, 'delete', String(record.resource.selfLink), { zone })
        : notFound(path);
    }
    const selfLink = String(record.resource.selfLink);
    const status = () => String(record.resource.status);
    const notReady = (verb: string) => ({
      error: {
        status: 400,
        reason: 'resourceNotReady',
        message: `The resource '${path}' is not ready to ${verb} in status ${status()}`,
      },
    });
    const now = new Date().toISOString();
    if (method === 'DELETE' && !action) {
      record.deleting = true;
      record.pending = ['STOPPING', 'TERMINATED'];
      return this.newOperation(context, 'delete', selfLink, { zone });
    }
    if (method === 'POST' && action === 'suspend') {
      if (status() !== 'RUNNING') return notReady('suspend');
      record.resource.status = 'SUSPENDING';
      record.pending = ['SUSPENDED'];
      record.resource.lastSuspendedTimestamp = now;
      return this.newOperation(context, 'suspend', selfLink, { zone });
    }
    if (method === 'POST' && action === 'resume') {
      if (status() !== 'SUSPENDED') return notReady('resume');
      record.resource.status = 'PROVISIONING';
      record.pending = ['STAGING', 'RUNNING'];
      record.resource.lastStartTimestamp = now;
      return this.newOperation(context, 'resume', selfLink, { zone });
    }
    if (method === 'POST' && action === 'start') {
      if (status() !== 'TERMINATED') return notReady('start');
      record.resource.status = 'PROVISIONING';
      record.pending = ['STAGING', 'RUNNING'];
      return this.newOperation(context, 'start', selfLink, { zone });
    }
    if (method === 'POST' && action === 'reset') {
      if (status() !== 'RUNNING') return notReady('reset');
      return this.newOperation(context, 'reset', selfLink, { zone });
    }
    if (method === 'POST' && action === 'setLabels') {
      if (body.labelFingerprint !== record.resource.labelFingerprint) {
        return {
          error: {
            status: 412,
            reason: 'conditionNotMet',
            message: 'Labels fingerprint either invalid or resource labels have changed',
          },
        };
      }
      record.resource.labels = body.labels;
      record.resource.labelFingerprint = `fp-${this.nextId++}`;
      return this.newOperation(context, 'setLabels', selfLink, { zone });
    }
    return badMethod(context);
  }

  /** Moves an instance one status on per read; a deleted one disappears after its last status. */
  private observe(key: string, record: InstanceRecord): Json | undefined {
    const next = record.pending.shift();
    if (next) record.resource.status = next;
    else if (record.deleting) {
      this.instances.delete(key);
      return undefined;
    }
    if (next === 'RUNNING') record.resource.lastStartTimestamp ??= new Date().toISOString();
    return structuredClone(record.resource);
  }

  private zoneInstances(zone: string): Json[] {
    return [...this.instances.entries()]
      .filter(([key]) => key.startsWith(`${zone}/`))
      .map(([key, record]) => this.observe(key, record))
      .filter((item): item is Json => item !== undefined);
  }

  private operation(name: string): { json: unknown } | { error: ErrorReply } {
    const record = this.operations.get(name);
    if (!record) return notFound(`operations/${name}`);
    if (record.readsLeft > 0) {
      record.readsLeft--;
      return { json: record.resource };
    }
    record.resource.status = 'DONE';
    record.resource.progress = 100;
    record.resource.endTime = new Date().toISOString();
    if (record.failure) {
      record.resource.error = { errors: [{ code: record.failure.code, message: record.failure.message }] };
      record.resource.httpErrorStatusCode = record.failure.httpStatus;
    }
    return { json: record.resource };
  }

  private newOperation(
    context: RouteContext,
    operationType: string,
    targetLink: string,
    scope: { zone?: string; region?: string } = {},
    failure?: OperationRecord['failure'],
  ): { json: unknown } {
    const name = `operation-${this.nextId++}-${operationType}`;
    const where = scope.zone ? `zones/${scope.zone}` : scope.region ? `regions/${scope.region}` : 'global';
    const resource: Json = {
      kind: 'compute#operation',
      id: String(this.nextId++),
      name,
      operationType,
      targetLink,
      status: 'RUNNING',
      progress: 0,
      insertTime: new Date().toISOString(),
      selfLink: `${this.baseUrl}/projects/${context.project}/${where}/operations/${name}`,
      ...(scope.zone ? { zone: `${this.baseUrl}/projects/${context.project}/zones/${scope.zone}` } : {}),
      ...(scope.region
        ? { region: `${this.baseUrl}/projects/${context.project}/regions/${scope.region}` }
        : {}),
    };
    this.operations.set(name, { resource, readsLeft: this.operationReads, ...(failure ? { failure } : {}) });
    return { json: structuredClone(resource) };
  }

  private page(kind: string, items: unknown[], query: Record<string, string>): { json: unknown } {
    const start = Number(query.pageToken ?? '0') || 0;
    const size = Number(query.maxResults ?? PAGE_SIZE) || PAGE_SIZE;
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? String(start + size) : undefined;
    return { json: { kind, id: 'list', items: slice, ...(next ? { nextPageToken: next } : {}) } };
  }

  private aggregated(field: string, itemsOf: (zone: string) => unknown[]): { json: unknown } {
    const items: Record<string, unknown> = {};
    for (const zone of this.allZones()) {
      const list = itemsOf(zone);
      items[`zones/${zone}`] =
        list.length > 0 ? { [field]: list } : { warning: { code: 'NO_RESULTS_ON_PAGE', message: 'none' } };
    }
    return { json: { kind: `compute#${field}AggregatedList`, items } };
  }

  private region(project: string, region: string): Json {
    return {
      kind: 'compute#region',
      id: String(FIXTURE_REGIONS.indexOf(region as (typeof FIXTURE_REGIONS)[number]) + 1),
      name: region,
      description: region,
      status: 'UP',
      zones: (FIXTURE_ZONES[region] ?? []).map((zone) => `${this.baseUrl}/projects/${project}/zones/${zone}`),
      selfLink: `${this.baseUrl}/projects/${project}/regions/${region}`,
    };
  }

  private zone(project: string, zone: string): Json {
    const region = zone.replace(/-[a-z]$/, '');
    return {
      kind: 'compute#zone',
      name: zone,
      status: 'UP',
      region: `${this.baseUrl}/projects/${project}/regions/${region}`,
      selfLink: `${this.baseUrl}/projects/${project}/zones/${zone}`,
    };
  }

  private allZones(): string[] {
    return FIXTURE_REGIONS.flatMap((region) => FIXTURE_ZONES[region] ?? []);
  }

  private machineTypes(project: string, zone: string): Json[] {
    return FIXTURE_MACHINE_TYPES.filter((type) => !type.zones || type.zones.includes(zone)).map(
      (type, position) => ({
        kind: 'compute#machineType',
        id: String(100 + position),
        name: type.name,
        description: `${type.guestCpus} vCPUs, ${type.memoryMb / 1024} GB RAM`,
        guestCpus: type.guestCpus,
        memoryMb: type.memoryMb,
        ...(type.accelerators ? { accelerators: type.accelerators } : {}),
        zone,
        selfLink: `${this.baseUrl}/projects/${project}/zones/${zone}/machineTypes/${type.name}`,
      }),
    );
  }

  private acceleratorTypes(project: string, zone: string): Json[] {
    return FIXTURE_ACCELERATOR_TYPES.filter((type) => !type.zones || type.zones.includes(zone)).map(
      ({ zones: _zones, ...type }) => ({
        kind: 'compute#acceleratorType',
        ...type,
        zone: `${this.baseUrl}/projects/${project}/zones/${zone}`,
        selfLink: `${this.baseUrl}/projects/${project}/zones/${zone}/acceleratorTypes/${type.name}`,
      }),
    );
  }

  private identity(): Json {
    return { id: String(this.nextId++), creationTimestamp: new Date().toISOString() };
  }

  /** Next free host address of a subnet (after the gateway at .1). */
  private allocateAddress(subnet: string, cidr: string): string {
    const [base = '10.0.0.0'] = cidr.split('/');
    const octets = base.split('.').map(Number);
    const next = (this.nextAddress.get(subnet) ?? 2) + 0;
    this.nextAddress.set(subnet, next + 1);
    const value =
      (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) +
      next;
    return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
  }

  private sendError(response: ServerResponse, error: ErrorReply): void {
    sendJson(response, error.status, {
      error: {
        code: error.status,
        message: error.message,
        errors: [{ message: error.message, domain: 'global', reason: error.reason }],
        ...(error.statusText ? { status: error.statusText } : {}),
      },
    });
  }
}

interface RouteContext {
  project: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: Json;
  failOperation?: { code: string; message: string; httpStatus: number };
}

function found(item: unknown, path: string): { json: unknown } | { error: ErrorReply } {
  return item === undefined ? notFound(path) : { json: item };
}

function notFound(path: string): { error: ErrorReply } {
  return { error: { status: 404, reason: 'notFound', message: `The resource '${path}' was not found` } };
}

function alreadyExists(path: string): { error: ErrorReply } {
  return {
    error: { status: 409, reason: 'alreadyExists', message: `The resource '${path}' already exists` },
  };
}

function badMethod(context: RouteContext): { error: ErrorReply } {
  return {
    error: {
      status: 400,
      reason: 'invalid',
      message: `${context.method} ${context.path} is not supported by the fake`,
    },
  };
}

function lastPart(value: unknown): string {
  return (
    String(value ?? '')
      .split('/')
      .pop() ?? ''
  );
}

function firstHost(cidr: string): string {
  const [base = '0.0.0.0'] = cidr.split('/');
  const octets = base.split('.');
  return [...octets.slice(0, 3), String(Number(octets[3] ?? 0) + 1)].join('.');
}
