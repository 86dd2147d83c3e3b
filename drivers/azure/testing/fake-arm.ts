/**
 * A local HTTPS server speaking enough Azure Resource Manager for the Azure driver's wire tests:
 * ARM JSON resources (`{id, name, type, location, tags, properties}`), long-running operations
 * answered 201/202 with an `Azure-AsyncOperation` header to poll, `nextLink` paging (2 items a
 * page), ARM error bodies (`{"error": {"code", "message"}}`), bearer-token checks, and the public
 * Retail Prices API. The certificate is self-signed and made at start (see certificate.ts).
 *
 * Time moves on by itself: an operation finishes `transitionMs` after it was accepted, whether or
 * not anyone polls it (the driver does not poll deallocate/start/delete, as Azure's portal doesn't).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { closeNow, listenOnFreePort, readJsonBody, sendJson } from '../../spec/testing/json-server.ts';
import { selfSignedCertificate } from './certificate.ts';
import {
  FAKE_SUBSCRIPTION,
  imageFixtures,
  locationFixtures,
  priceFixtures,
  skuFixtures,
} from './fixtures.ts';

export const FAKE_TOKEN = 'fake-arm-token';

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface HttpFailure {
  status: number;
  code: string;
  message: string;
  /** Sent as the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
}

interface Provocation {
  method: string;
  path: RegExp;
  /** Answer at once with this error, or accept and let the operation fail with `operationError`. */
  failure?: HttpFailure;
  operationError?: { code: string; message: string };
}

interface Operation {
  id: string;
  doneAt: number;
  finished: boolean;
  error?: { code: string; message: string };
  onDone: () => void;
  onFail?: () => void;
}

/** A resource as ARM stores it, keyed by its lower-cased id. */
interface Resource {
  id: string;
  name: string;
  type: string;
  location: string;
  resourceGroup: string;
  tags: Record<string, string>;
  properties: Json;
  zones?: string[];
}

const PAGE_SIZE = 2;

/** What every route returns once it has answered, so handlers can `return this.send(…)`. */
type Handled = true;

export class FakeArm {
  readonly subscriptionId: string;
  readonly requests: RecordedRequest[] = [];
  /** How long an accepted operation takes. */
  transitionMs: number;
  /**
   * Answer `statusOnly=true` VM lists with the instance view alone, no model: the references do
   * not say how much of the model those answers carry, so the driver must cope with either.
   */
  trimStatusOnly = false;
  private server: Server | undefined;
  private port = 0;
  private caCertificate = '';
  private readonly resources = new Map<string, Resource>();
  private readonly groups = new Map<
    string,
    { name: string; location: string; tags: Record<string, string>; deleting: boolean }
  >();
  private readonly operations = new Map<string, Operation>();
  private provocations: Provocation[] = [];
  private nextAddress = 4;
  private nextPublicAddress = 10;

  constructor(options: { subscriptionId?: string; transitionMs?: number } = {}) {
    this.subscriptionId = options.subscriptionId ?? FAKE_SUBSCRIPTION;
    this.transitionMs = options.transitionMs ?? 30;
  }

  /** Starts on a free port; returns the base URL and the CA certificate to trust. */
  async start(): Promise<{ endpoint: string; ca: string; port: number }> {
    const { key, cert } = selfSignedCertificate();
    this.caCertificate = cert;
    this.server = createServer({ key, cert }, (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        return this.send(response, 500, { error: { code: 'InternalServerError', message: String(error) } });
      });
    });
    this.port = await listenOnFreePort(this.server);
    return { endpoint: this.endpoint, ca: cert, port: this.port };
  }

  get endpoint(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get ca(): string {
    return this.caCertificate;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeNow(server);
  }

  /** The next `method` request whose path matches answers with this HTTP error. */
  failNext(method: string, path: RegExp, failure: HttpFailure): void {
    this.provocations.push({ method, path, failure });
  }

  /** The next matching request is accepted, and its long-running operation ends Failed with `code`. */
  failNextOperation(method: string, path: RegExp, code: string, message: string): void {
    this.provocations.push({ method, path, operationError: { code, message } });
  }

  clearProvocations(): void {
    this.provocations = [];
  }

  /** A stored resource by type and name, as ARM JSON (for assertions). */
  resource(type: string, resourceGroup: string, name: string): Json | undefined {
    const found = this.resources.get(this.resourceId(resourceGroup, type, name).toLowerCase());
    return found ? this.toJson(found) : undefined;
  }

  resourceGroupNames(): string[] {
    return [...this.groups.values()].map((group) => group.name);
  }

  // -------------------------------------------------------------------------------------------

  private resourceId(resourceGroup: string, type: string, name: string): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
  }

  private toJson(resource: Resource, extra: Json = {}): Json {
    return {
      id: resource.id,
      name: resource.name,
      type: resource.type,
      location: resource.location,
      ...(Object.keys(resource.tags).length > 0 ? { tags: resource.tags } : {}),
      ...(resource.zones ? { zones: resource.zones } : {}),
      properties: { ...resource.properties, ...extra },
    };
  }

  private send(
    response: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Handled {
    sendJson(response, status, body, { 'x-ms-request-id': randomUUID(), ...headers });
    return true;
  }

  private error(
    response: ServerResponse,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): Handled {
    return this.send(response, status, { error: { code, message } }, headers);
  }

  /** Runs the effects of operations whose time has come. */
  private settle(): void {
    const now = Date.now();
    for (const operation of this.operations.values()) {
      if (!operation.finished && now >= operation.doneAt) {
        operation.finished = true;
        if (operation.error) operation.onFail?.();
        else operation.onDone();
      }
    }
  }

  /** Accepts a long-running operation: 201/202 with Azure-AsyncOperation (and Location) to poll. */
  private accept(
    response: ServerResponse,
    status: 201 | 202 | 200,
    location: string,
    namespace: string,
    onDone: () => void,
    options: { body?: unknown; error?: { code: string; message: string }; onFail?: () => void } = {},
  ): Handled {
    const id = randomUUID();
    this.operations.set(id, {
      id,
      doneAt: Date.now() + this.transitionMs,
      finished: false,
      onDone,
      ...(options.error ? { error: options.error } : {}),
      ...(options.onFail ? { onFail: options.onFail } : {}),
    });
    const url = `${this.endpoint}/subscriptions/${this.subscriptionId}/providers/${namespace}/locations/${location}/operations/${id}?api-version=2024-05-01`;
    return this.send(response, status, options.body, {
      'azure-asyncoperation': url,
      ...(status === 202 ? { location: `${url}&monitor=true` } : {}),
    });
  }

  /** One page of `items` with an absolute nextLink, as ARM pages. */
  private page(url: URL, items: unknown[]): Json {
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const value = items.slice(skip, skip + PAGE_SIZE);
    if (skip + PAGE_SIZE >= items.length) return { value };
    const next = new URL(url.toString());
    next.searchParams.set('$skiptoken', String(skip + PAGE_SIZE));
    return { value, nextLink: `${this.endpoint}${next.pathname}${next.search}` };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<Handled> {
    const url = new URL(request.url ?? '/', this.endpoint);
    const method = request.method ?? 'GET';
    const body = await readJsonBody(request);
    const query = Object.fromEntries(url.searchParams.entries());
    this.requests.push({
      method,
      path: url.pathname,
      query,
      body,
      authorization: request.headers.authorization,
    });
    this.settle();

    if (url.pathname === '/api/retail/prices') return this.prices(url, response);
    if (request.headers.authorization !== `Bearer ${FAKE_TOKEN}`) {
      return this.error(response, 401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    }
    const index = this.provocations.findIndex(
      (provocation) => provocation.method === method && provocation.path.test(url.pathname),
    );
    const provocation = index >= 0 ? this.provocations.splice(index, 1)[0] : undefined;
    if (provocation?.failure) {
      const { status, code, message, retryAfterSeconds } = provocation.failure;
      return this.error(
        response,
        status,
        code,
        message,
        retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
      );
    }
    const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
    const lower = segments.map((segment) => segment.toLowerCase());
    if (lower[0] !== 'subscriptions' || segments[1] !== this.subscriptionId) {
      return this.error(
        response,
        404,
        'SubscriptionNotFound',
        `The subscription '${segments[1]}' could not be found.`,
      );
    }
    const rest = lower.slice(2);
    const original = segments.slice(2);
    const context: RouteContext = {
      method,
      url,
      body,
      response,
      rest,
      original,
      operationError: provocation?.operationError,
    };

    if (rest[0] === 'locations' && rest.length === 1) {
      return this.send(response, 200, { value: locationFixtures(this.subscriptionId) });
    }
    if (rest[0] === 'providers' && rest[2] === 'locations' && rest[4] === 'operations') {
      return this.operationStatus(original[5] ?? '', response);
    }
    if (rest[0] === 'providers' && rest[1] === 'microsoft.compute' && rest[2] === 'skus')
      return this.skus(url, response);
    if (
      rest[0] === 'providers' &&
      rest[1] === 'microsoft.compute' &&
      rest[2] === 'locations' &&
      rest[4] === 'publishers'
    ) {
      return this.images(original, response);
    }
    if (rest[0] === 'providers' && rest.length === 3) {
      return this.listBySubscription(`${original[1]}/${original[2]}`, context);
    }
    if (rest[0] === 'resourcegroups' && rest.length === 2)
      return this.resourceGroup(original[1] ?? '', context);
    if (rest[0] === 'resourcegroups' && rest[2] === 'resources' && rest.length === 3) {
      return this.resourcesInGroup(original[1] ?? '', context);
    }
    if (rest[0] === 'resourcegroups' && rest[2] === 'providers') return this.grouped(context);
    return this.error(response, 404, 'NotFound', `no route for ${method} ${url.pathname}`);
  }

  private operationStatus(id: string, response: ServerResponse): Handled {
    const operation = this.operations.get(id);
    if (!operation) return this.error(response, 404, 'NotFound', `operation ${id} not found`);
    if (!operation.finished) return this.send(response, 200, { name: id, status: 'InProgress' });
    if (operation.error)
      return this.send(response, 200, { name: id, status: 'Failed', error: operation.error });
    return this.send(response, 200, { name: id, status: 'Succeeded' });
  }

  private prices(url: URL, response: ServerResponse): Handled {
    const filter = url.searchParams.get('$filter') ?? '';
    const region = /armRegionName eq '([^']+)'/.exec(filter)?.[1];
    const items = priceFixtures().filter((item) => !region || item.armRegionName === region);
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    const pageItems = items.slice(skip, skip + PAGE_SIZE);
    const next = new URL(url.toString());
    next.searchParams.set('$skip', String(skip + PAGE_SIZE));
    return this.send(response, 200, {
      BillingCurrency: 'USD',
      CustomerEntitledToDiscount: false,
      Items: pageItems,
      NextPageLink: skip + PAGE_SIZE < items.length ? `${this.endpoint}${next.pathname}${next.search}` : null,
      Count: pageItems.length,
    });
  }

  private skus(url: URL, response: ServerResponse): Handled {
    const location = /location eq '([^']+)'/.exec(url.searchParams.get('$filter') ?? '')?.[1];
    const skus = skuFixtures().filter((sku) => !location || sku.locations.includes(location));
    return this.send(response, 200, this.page(url, skus));
  }

  /** `.../locations/{l}/publishers/{p}/artifacttypes/vmimage/offers/{o}/skus/{s}/versions[/{v}]` */
  private images(original: string[], response: ServerResponse): Handled {
    const [, , , location = '', , publisher = '', , , , offer = '', , sku = '', , version] = original;
    const versions = imageFixtures()[location]?.[`${publisher}/${offer}/${sku}`];
    if (!versions) {
      return this.error(
        response,
        404,
        'NotFound',
        `Artifact: VMImage was not found for ${publisher}:${offer}:${sku}.`,
      );
    }
    const base = `/Subscriptions/${this.subscriptionId}/Providers/Microsoft.Compute/Locations/${location}/Publishers/${publisher}/ArtifactTypes/VMImage/Offers/${offer}/Skus/${sku}/Versions`;
    if (version === undefined) {
      // Newest first when asked with $orderby=name desc; $top=1 then keeps the newest.
      const query = this.requests.at(-1)?.query ?? {};
      const ordered = query.$orderby === 'name desc' ? [...versions].reverse() : versions;
      const top = query.$top ? Number(query.$top) : ordered.length;
      return this.send(
        response,
        200,
        ordered.slice(0, top).map((name) => ({ location, name, id: `${base}/${name}` })),
      );
    }
    if (!versions.includes(version)) {
      return this.error(
        response,
        404,
        'NotFound',
        `Artifact: VMImage was not found for ${publisher}:${offer}:${sku}:${version}.`,
      );
    }
    return this.send(response, 200, {
      location,
      name: version,
      id: `${base}/${version}`,
      properties: {
        osDiskImage: { operatingSystem: 'Linux', sizeInGb: 30 },
        dataDiskImages: [],
        hyperVGeneration: 'V2',
        architecture: /arm64/i.test(sku) ? 'Arm64' : 'x64',
        automaticOSUpgradeProperties: { automaticOSUpgradeSupported: false },
      },
    });
  }

  private listBySubscription(type: string, { url, response }: RouteContext): Handled {
    const items = [...this.resources.values()]
      .filter((resource) => resource.type.toLowerCase() === type.toLowerCase())
      .map((resource) => this.view(resource, url))
      .map((item) =>
        this.trimStatusOnly && url.searchParams.get('statusOnly') === 'true'
          ? {
              id: item.id,
              name: item.name,
              type: item.type,
              location: item.location,
              properties: { instanceView: (item.properties as Json).instanceView },
            }
          : item,
      );
    return this.send(response, 200, this.page(url, items));
  }

  private resourceGroup(name: string, { method, body, response }: RouteContext): Handled {
    const key = name.toLowerCase();
    const group = this.groups.get(key);
    const json = (found: NonNullable<typeof group>) => ({
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${found.name}`,
      name: found.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: found.location,
      tags: found.tags,
      properties: { provisioningState: found.deleting ? 'Deleting' : 'Succeeded' },
    });
    if (method === 'GET') {
      if (!group)
        return this.error(
          response,
          404,
          'ResourceGroupNotFound',
          `Resource group '${name}' could not be found.`,
        );
      return this.send(response, 200, json(group));
    }
    if (method === 'PUT') {
      if (group?.deleting) {
        return this.error(
          response,
          409,
          'ResourceGroupBeingDeleted',
          `The resource group '${name}' is in deprovisioning state.`,
        );
      }
      const input = (body ?? {}) as { location?: string; tags?: Record<string, string> };
      if (!input.location)
        return this.error(response, 400, 'LocationRequired', 'The location property is required.');
      const stored = { name, location: input.location, tags: input.tags ?? {}, deleting: false };
      this.groups.set(key, stored);
      return this.send(response, group ? 200 : 201, json(stored));
    }
    if (method === 'DELETE') {
      if (!group) return this.send(response, 204);
      group.deleting = true;
      return this.accept(response, 202, group.location, 'Microsoft.Resources', () => {
        for (const [id, resource] of this.resources)
          if (resource.resourceGroup === key) this.resources.delete(id);
        this.groups.delete(key);
      });
    }
    return this.error(response, 405, 'MethodNotAllowed', method);
  }

  private resourcesInGroup(name: string, { url, response }: RouteContext): Handled {
    const key = name.toLowerCase();
    if (!this.groups.has(key))
      return this.error(
        response,
        404,
        'ResourceGroupNotFound',
        `Resource group '${name}' could not be found.`,
      );
    // Top-level resources only, as ARM lists them: subnets are children of their network.
    const items = [...this.resources.values()]
      .filter((resource) => resource.resourceGroup === key && resource.type !== 'subnet')
      .map((resource) => ({
        id: resource.id,
        name: resource.name,
        type: resource.type,
        location: resource.location,
      }));
    return this.send(response, 200, this.page(url, items));
  }

  /** `/resourceGroups/{rg}/providers/{namespace}/{type}[/{name}[/{child or action}[/{childName}]]]` */
  private grouped(context: RouteContext): Handled {
    const { original, rest, response, method } = context;
    const group = original[1] ?? '';
    if (!this.groups.has(group.toLowerCase())) {
      return this.error(
        response,
        404,
        'ResourceGroupNotFound',
        `Resource group '${group}' could not be found.`,
      );
    }
    const type = `${original[3]}/${original[4]}`;
    const name = original[5];
    const tail = rest.slice(6);
    if (name === undefined) {
      if (method !== 'GET') return this.error(response, 405, 'MethodNotAllowed', method);
      const items = [...this.resources.values()]
        .filter(
          (resource) =>
            resource.resourceGroup === group.toLowerCase() &&
            resource.type.toLowerCase() === type.toLowerCase(),
        )
        .map((resource) => this.view(resource, context.url));
      return this.send(response, 200, this.page(context.url, items));
    }
    switch (type.toLowerCase()) {
      case 'microsoft.network/virtualnetworks':
        if (tail[0] === 'subnets') return this.subnet(group, name, original[7], context);
        return this.virtualNetwork(group, name, context);
      case 'microsoft.network/networksecuritygroups':
        return this.securityGroup(group, name, context);
      case 'microsoft.network/networkinterfaces':
      case 'microsoft.network/publicipaddresses':
        return this.readOnly(group, type, name, context);
      case 'microsoft.compute/sshpublickeys':
        return this.sshPublicKey(group, name, context);
      case 'microsoft.compute/virtualmachines':
        if (tail.length === 1) return this.vmAction(group, name, tail[0] ?? '', context);
        return this.virtualMachine(group, name, context);
      default:
        return this.error(
          response,
          404,
          'NoRegisteredProviderFound',
          `No registered resource provider found for ${type}.`,
        );
    }
  }

  private find(group: string, type: string, name: string): Resource | undefined {
    return this.resources.get(this.resourceId(group, type, name).toLowerCase());
  }

  private store(resource: Resource): Resource {
    this.resources.set(resource.id.toLowerCase(), resource);
    return resource;
  }

  /** Stores a top-level resource `type`/`name` of resource group `group` (tags default to none). */
  private storeIn(
    group: string,
    type: string,
    name: string,
    fields: { location: string; tags?: Record<string, string>; zones?: string[]; properties: Json },
  ): Resource {
    return this.store({
      id: this.resourceId(group, type, name),
      name,
      type,
      location: fields.location,
      resourceGroup: group.toLowerCase(),
      tags: fields.tags ?? {},
      ...(fields.zones ? { zones: fields.zones } : {}),
      properties: fields.properties,
    });
  }

  /** A GET of a resource: its view, or ARM's 404. */
  private sendFound(
    response: ServerResponse,
    url: URL,
    found: Resource | undefined,
    where: { type: string; name: string; group: string },
  ): Handled {
    return found
      ? this.send(response, 200, this.view(found, url))
      : this.notFound(response, where.type, where.name, where.group);
  }

  private notFound(response: ServerResponse, type: string, name: string, group: string): Handled {
    return this.error(
      response,
      404,
      'ResourceNotFound',
      `The Resource '${type}/${name}' under resource group '${group}' was not found.`,
    );
  }

  /** A resource as GET returns it: VMs carry their instance view when asked. */
  private view(resource: Resource, url: URL): Json {
    if (resource.type !== 'Microsoft.Compute/virtualMachines') {
      if (resource.type === 'Microsoft.Network/virtualNetworks')
        return this.toJson(resource, { subnets: this.subnetsOf(resource) });
      return this.toJson(resource);
    }
    const withView =
      url.searchParams.get('$expand') === 'instanceView' || url.searchParams.get('statusOnly') === 'true';
    const { power, ...properties } = resource.properties as Json & { power?: string };
    const provisioning = String(properties.provisioningState ?? 'Succeeded');
    const instanceView = {
      computerName: resource.name,
      osName: 'ubuntu',
      statuses: [
        {
          code: `ProvisioningState/${provisioning.toLowerCase()}`,
          level: provisioning === 'Failed' ? 'Error' : 'Info',
          displayStatus:
            provisioning === 'Failed' ? 'Provisioning failed' : `Provisioning ${provisioning.toLowerCase()}`,
          ...(properties.failure ? { message: String(properties.failure) } : {}),
          time: String(properties.statusTime ?? properties.timeCreated),
        },
        ...(power ? [{ code: `PowerState/${power}`, level: 'Info', displayStatus: `VM ${power}` }] : []),
      ],
    };
    const { failure: _failure, statusTime: _time, ...visible } = properties;
    // ARM never returns customData: it is write-only.
    const { customData: _customData, ...osProfile } = (visible.osProfile ?? {}) as Json;
    return this.toJson(
      { ...resource, properties: { ...visible, osProfile } },
      withView ? { instanceView } : {},
    );
  }

  private subnetsOf(network: Resource): Json[] {
    return [...this.resources.values()]
      .filter(
        (resource) =>
          resource.type === 'subnet' &&
          resource.id.toLowerCase().startsWith(`${network.id.toLowerCase()}/subnets/`),
      )
      .map((subnet) => ({
        id: subnet.id,
        name: subnet.name,
        type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: subnet.properties,
      }));
  }

  private virtualNetwork(group: string, name: string, context: RouteContext): Handled {
    const { method, body, response, url } = context;
    const type = 'Microsoft.Network/virtualNetworks';
    const found = this.find(group, type, name);
    if (method === 'GET') return this.sendFound(response, url, found, { type, name, group });
    if (method === 'PUT') {
      const input = (body ?? {}) as { location?: string; tags?: Record<string, string>; properties?: Json };
      const prefixes = (input.properties?.addressSpace as { addressPrefixes?: string[] } | undefined)
        ?.addressPrefixes;
      if (!input.location || !prefixes?.[0]) {
        return this.error(
          response,
          400,
          'InvalidRequestFormat',
          'Cannot parse the request: location and addressSpace are required.',
        );
      }
      const resource = this.storeIn(group, type, name, {
        location: input.location,
        tags: input.tags,
        properties: {
          provisioningState: 'Succeeded',
          addressSpace: { addressPrefixes: prefixes },
          resourceGuid: randomUUID(),
        },
      });
      return this.accept(response, found ? 200 : 201, input.location, 'Microsoft.Network', () => {}, {
        body: this.view(resource, url),
      });
    }
    if (method === 'DELETE') {
      if (!found) return this.send(response, 204);
      if (this.subnetsOf(found).length > 0) {
        // Real ARM deletes empty subnets with their network; in-use ones block it.
        for (const subnet of this.subnetsOf(found)) this.resources.delete(String(subnet.id).toLowerCase());
      }
      return this.accept(response, 202, found.location, 'Microsoft.Network', () => {
        this.resources.delete(found.id.toLowerCase());
      });
    }
    return this.error(response, 405, 'MethodNotAllowed', method);
  }

  private subnet(group: string, vNetName: string, name: string | undefined, context: RouteContext): Handled {
    const { method, body, response, url } = context;
    const network = this.find(group, 'Microsoft.Network/virtualNetworks', vNetName);
    if (!network) return this.notFound(response, 'Microsoft.Network/virtualNetworks', vNetName, group);
    if (name === undefined) return this.send(response, 200, this.page(url, this.subnetsOf(network)));
    const id = `${network.id}/subnets/${name}`;
    const found = this.resources.get(id.toLowerCase());
    const json = (resource: Resource) => ({
      id: resource.id,
      name,
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: resource.properties,
    });
    if (method === 'GET')
      return found ? this.send(response, 200, json(found)) : this.notFound(response, 'subnets', name, group);
    if (method === 'PUT') {
      const prefix = ((body ?? {}) as { properties?: { addressPrefix?: string } }).properties?.addressPrefix;
      const vNetPrefix =
        (network.properties.addressSpace as { addressPrefixes: string[] }).addressPrefixes[0] ?? '';
      if (!prefix || !inside(prefix, vNetPrefix)) {
        return this.error(
          response,
          400,
          'NetcfgInvalidSubnet',
          `Subnet '${name}' is not valid in virtual network '${vNetName}'.`,
        );
      }
      const resource = this.store({
        id,
        name,
        type: 'subnet',
        location: network.location,
        resourceGroup: group.toLowerCase(),
        tags: {},
        properties: { provisioningState: 'Succeeded', addressPrefix: prefix },
      });
      return this.accept(response, found ? 200 : 201, network.location, 'Microsoft.Network', () => {}, {
        body: json(resource),
      });
    }
    if (method === 'DELETE') {
      if (!found) return this.send(response, 204);
      const inUse = [...this.resources.values()].some(
        (resource) =>
          resource.type === 'Microsoft.Network/networkInterfaces' &&
          JSON.stringify(resource.properties).toLowerCase().includes(id.toLowerCase()),
      );
      if (inUse) {
        return this.error(
          response,
          400,
          'InUseSubnetCannotBeDeleted',
          `Subnet ${name} is in use by a network interface and cannot be deleted.`,
        );
      }
      return this.accept(response, 202, network.location, 'Microsoft.Network', () => {
        this.resources.delete(id.toLowerCase());
      });
    }
    return this.error(response, 405, 'MethodNotAllowed', method);
  }

  private securityGroup(group: string, name: string, context: RouteContext): Handled {
    const { method, body, response, url } = context;
    const type = 'Microsoft.Network/networkSecurityGroups';
    const found = this.find(group, type, name);
    if (method === 'GET') return this.sendFound(response, url, found, { type, name, group });
    if (method === 'PUT') {
      const input = (body ?? {}) as {
        location?: string;
        tags?: Record<string, string>;
        properties?: { securityRules?: Json[] };
      };
      if (!input.location)
        return this.error(response, 400, 'LocationRequired', 'The location property is required.');
      const rules = input.properties?.securityRules ?? [];
      const priorities = new Set<string>();
      for (const rule of rules) {
        const properties = (rule.properties ?? {}) as Json;
        const key = `${properties.direction}/${properties.priority}`;
        if (priorities.has(key)) {
          return this.error(
            response,
            400,
            'SecurityRuleConflict',
            `Security rules have the same priority ${properties.priority}.`,
          );
        }
        priorities.add(key);
      }
      const resource = this.storeIn(group, type, name, {
        location: input.location,
        tags: input.tags,
        properties: {
          provisioningState: 'Succeeded',
          securityRules: rules.map((rule) => ({
            id: `${this.resourceId(group, type, name)}/securityRules/${String(rule.name)}`,
            name: rule.name,
            type: 'Microsoft.Network/networkSecurityGroups/securityRules',
            properties: { provisioningState: 'Succeeded', ...((rule.properties ?? {}) as Json) },
          })),
          defaultSecurityRules: [
            {
              name: 'AllowVnetInBound',
              properties: {
                access: 'Allow',
                direction: 'Inbound',
                priority: 65000,
                protocol: '*',
                sourceAddressPrefix: 'VirtualNetwork',
                destinationAddressPrefix: 'VirtualNetwork',
                sourcePortRange: '*',
                destinationPortRange: '*',
              },
            },
            {
              name: 'DenyAllInBound',
              properties: {
                access: 'Deny',
                direction: 'Inbound',
                priority: 65500,
                protocol: '*',
                sourceAddressPrefix: '*',
                destinationAddressPrefix: '*',
                sourcePortRange: '*',
                destinationPortRange: '*',
              },
            },
          ],
        },
      });
      return this.accept(response, found ? 200 : 201, input.location, 'Microsoft.Network', () => {}, {
        body: this.view(resource, url),
      });
    }
    if (method === 'DELETE') {
      if (!found) return this.send(response, 204);
      const inUse = [...this.resources.values()].some(
        (resource) =>
          resource.type === 'Microsoft.Network/networkInterfaces' &&
          JSON.stringify(resource.properties).toLowerCase().includes(found.id.toLowerCase()),
      );
      if (inUse) {
        return this.error(
          response,
          400,
          'InUseNetworkSecurityGroupCannotBeDeleted',
          `Network security group ${found.id} cannot be deleted because it is in use by a network interface.`,
        );
      }
      return this.accept(response, 202, found.location, 'Microsoft.Network', () => {
        this.resources.delete(found.id.toLowerCase());
      });
    }
    return this.error(response, 405, 'MethodNotAllowed', method);
  }

  private readOnly(
    group: string,
    type: string,
    name: string,
    { method, response, url }: RouteContext,
  ): Handled {
    const found = this.find(group, type, name);
    if (method !== 'GET') return this.error(response, 405, 'MethodNotAllowed', method);
    return this.sendFound(response, url, found, { type, name, group });
  }

  private sshPublicKey(group: string, name: string, { method, body, response, url }: RouteContext): Handled {
    const type = 'Microsoft.Compute/sshPublicKeys';
    const found = this.find(group, type, name);
    if (method === 'GET') return this.sendFound(response, url, found, { type, name, group });
    if (method === 'PUT') {
      const input = (body ?? {}) as {
        location?: string;
        tags?: Record<string, string>;
        properties?: { publicKey?: string };
      };
      const publicKey = input.properties?.publicKey;
      if (!input.location || !publicKey || !/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256) /.test(publicKey)) {
        return this.error(response, 400, 'InvalidParameter', 'The value of parameter publicKey is invalid.');
      }
      const resource = this.storeIn(group, type, name, {
        location: input.location,
        tags: input.tags,
        properties: { publicKey },
      });
      return this.send(response, found ? 200 : 201, this.view(resource, url));
    }
    if (method === 'DELETE') {
      if (!found) return this.send(response, 204);
      this.resources.delete(found.id.toLowerCase());
      return this.send(response, 200);
    }
    return this.error(response, 405, 'MethodNotAllowed', method);
  }

  private virtualMachine(group: string, name: string, context: RouteContext): Handled {
    const { method, response, url } = context;
    const type = 'Microsoft.Compute/virtualMachines';
    const found = this.find(group, type, name);
    if (method === 'GET') return this.sendFound(response, url, found, { type, name, group });
    if (method === 'PUT') return this.createVm(group, name, found, context);
    if (method === 'DELETE') {
      if (!found) return this.send(response, 204);
      found.properties.provisioningState = 'Deleting';
      return this.accept(response, 202, found.location, 'Microsoft.Compute', () => {
        // deleteOption Delete: the NIC and public IP go with the VM.
        const nic = this.nicOf(found);
        const configuration = (
          nic?.properties.ipConfigurations as
            | { properties?: { publicIPAddress?: { id?: string } } }[]
            | undefined
        )?.[0];
        const ipId = configuration?.properties?.publicIPAddress?.id;
        if (ipId) this.resources.delete(ipId.toLowerCase());
        if (nic) this.resources.delete(nic.id.toLowerCase());
        this.resources.delete(found.id.toLowerCase());
      });
    }
    return this.error(response, 405, 'MethodNotAllowed', method);
  }

  private nicOf(vm: Resource): Resource | undefined {
    const reference = (
      (vm.properties.networkProfile as Json | undefined)?.networkInterfaces as Json[] | undefined
    )?.[0];
    return reference ? this.resources.get(String(reference.id).toLowerCase()) : undefined;
  }

  private createVm(group: string, name: string, found: Resource | undefined, context: RouteContext): Handled {
    const { body, response, url, operationError } = context;
    const input = (body ?? {}) as {
      location?: string;
      tags?: Record<string, string>;
      zones?: string[];
      properties?: Json;
    };
    const properties = (input.properties ?? {}) as {
      hardwareProfile?: { vmSize?: string };
      storageProfile?: { imageReference?: Json; osDisk?: Json };
      osProfile?: {
        adminUsername?: string;
        linuxConfiguration?: { ssh?: { publicKeys?: { keyData?: string }[] } };
      };
      networkProfile?: { networkInterfaceConfigurations?: Json[] };
      priority?: string;
    };
    const location = input.location ?? '';
    if (found) {
      return this.error(response, 409, 'PropertyChangeNotAllowed', 'Changing property is not allowed.');
    }
    const size = properties.hardwareProfile?.vmSize;
    const sku = skuFixtures().find(
      (candidate) => candidate.name === size && candidate.locations.includes(location),
    );
    if (!sku) {
      return this.error(
        response,
        409,
        'SkuNotAvailable',
        `The requested VM size ${size} is currently not available in location '${location}'. Please try another size or deploy to a different location or different zone.`,
      );
    }
    const reference = (properties.storageProfile?.imageReference ?? {}) as Record<string, string>;
    const versions =
      imageFixtures()[location]?.[`${reference.publisher}/${reference.offer}/${reference.sku}`] ?? [];
    if (!versions.includes(reference.version ?? '')) {
      return this.error(
        response,
        404,
        'PlatformImageNotFound',
        `The platform image '${reference.publisher}:${reference.offer}:${reference.sku}:${reference.version}' is not available.`,
      );
    }
    if (!properties.osProfile?.linuxConfiguration?.ssh?.publicKeys?.[0]?.keyData) {
      return this.error(
        response,
        400,
        'InvalidParameter',
        'Required parameter adminPassword or ssh public key is missing.',
      );
    }
    const configuration = properties.networkProfile?.networkInterfaceConfigurations?.[0] as
      | {
          name?: string;
          properties?: {
            networkSecurityGroup?: { id?: string };
            ipConfigurations?: {
              name?: string;
              properties?: { subnet?: { id?: string }; publicIPAddressConfiguration?: { name?: string } };
            }[];
          };
        }
      | undefined;
    const ipConfiguration = configuration?.properties?.ipConfigurations?.[0];
    const subnetId = ipConfiguration?.properties?.subnet?.id ?? '';
    const subnet = this.resources.get(subnetId.toLowerCase());
    const securityGroupId = configuration?.properties?.networkSecurityGroup?.id ?? '';
    if (!configuration?.name || !ipConfiguration?.name || !subnet) {
      return this.error(
        response,
        400,
        'InvalidParameter',
        `Subnet ${subnetId} referenced by the VM does not exist.`,
      );
    }
    if (securityGroupId && !this.resources.has(securityGroupId.toLowerCase())) {
      return this.error(response, 404, 'NotFound', `Resource ${securityGroupId} not found.`);
    }
    if (
      operationError?.code !== 'ZonalAllocationFailed' &&
      operationError?.code !== 'AllocationFailed' &&
      operationError
    ) {
      // Only allocation failures are asynchronous; other provoked codes answer at once.
      return this.error(response, 409, operationError.code, operationError.message);
    }
    const now = new Date().toISOString();
    const publicIpName = ipConfiguration.properties?.publicIPAddressConfiguration?.name;
    const publicIp = publicIpName
      ? this.storeIn(group, 'Microsoft.Network/publicIPAddresses', publicIpName, {
          location,
          zones: input.zones,
          properties: {
            provisioningState: 'Succeeded',
            publicIPAllocationMethod: 'Static',
            publicIPAddressVersion: 'IPv4',
            ipAddress: `20.41.${Math.floor(this.nextPublicAddress / 250)}.${(this.nextPublicAddress++ % 250) + 1}`,
          },
        })
      : undefined;
    const prefix = String(subnet.properties.addressPrefix);
    const nic = this.storeIn(group, 'Microsoft.Network/networkInterfaces', configuration.name, {
      location,
      properties: {
        provisioningState: 'Succeeded',
        ...(securityGroupId ? { networkSecurityGroup: { id: securityGroupId } } : {}),
        ipConfigurations: [
          {
            id: `${this.resourceId(group, 'Microsoft.Network/networkInterfaces', configuration.name)}/ipConfigurations/${ipConfiguration.name}`,
            name: ipConfiguration.name,
            properties: {
              primary: true,
              privateIPAllocationMethod: 'Dynamic',
              privateIPAddress: addressIn(prefix, this.nextAddress++),
              subnet: { id: subnet.id },
              ...(publicIp ? { publicIPAddress: { id: publicIp.id } } : {}),
            },
          },
        ],
      },
    });
    const vm = this.storeIn(group, 'Microsoft.Compute/virtualMachines', name, {
      location,
      tags: input.tags,
      zones: input.zones,
      properties: {
        ...(input.properties ?? {}),
        vmId: randomUUID(),
        provisioningState: 'Creating',
        power: 'starting',
        timeCreated: now,
        statusTime: now,
        networkProfile: {
          ...((input.properties?.networkProfile ?? {}) as Json),
          networkInterfaces: [{ id: nic.id, properties: { primary: true, deleteOption: 'Delete' } }],
        },
      },
    });
    return this.accept(
      response,
      201,
      location,
      'Microsoft.Compute',
      () => this.transition(vm, 'Succeeded', 'running'),
      {
        body: this.view(vm, url),
        ...(operationError ? { error: operationError } : {}),
        onFail: () => {
          vm.properties.provisioningState = 'Failed';
          vm.properties.failure = operationError?.message;
          vm.properties.statusTime = new Date().toISOString();
          delete vm.properties.power;
        },
      },
    );
  }

  private transition(vm: Resource, provisioningState: string, power: string | undefined): void {
    vm.properties.provisioningState = provisioningState;
    if (power) vm.properties.power = power;
    else delete vm.properties.power;
    vm.properties.statusTime = new Date().toISOString();
  }

  private vmAction(group: string, name: string, action: string, { method, response }: RouteContext): Handled {
    const vm = this.find(group, 'Microsoft.Compute/virtualMachines', name);
    if (method !== 'POST') return this.error(response, 405, 'MethodNotAllowed', method);
    if (!vm) return this.notFound(response, 'Microsoft.Compute/virtualMachines', name, group);
    const power = vm.properties.power;
    const refuse = (message: string) => this.error(response, 409, 'OperationNotAllowed', message);
    switch (action) {
      case 'deallocate':
        this.transition(vm, 'Updating', 'deallocating');
        return this.accept(response, 202, vm.location, 'Microsoft.Compute', () =>
          this.transition(vm, 'Succeeded', 'deallocated'),
        );
      case 'start':
        if (power === 'running')
          return this.accept(response, 202, vm.location, 'Microsoft.Compute', () => {});
        this.transition(vm, 'Updating', 'starting');
        return this.accept(response, 202, vm.location, 'Microsoft.Compute', () =>
          this.transition(vm, 'Succeeded', 'running'),
        );
      case 'restart':
        if (power !== 'running')
          return refuse(
            `Operation 'restart' is not allowed on VM '${name}' since the VM is ${power ?? 'not running'}.`,
          );
        this.transition(vm, 'Updating', 'running');
        return this.accept(response, 202, vm.location, 'Microsoft.Compute', () =>
          this.transition(vm, 'Succeeded', 'running'),
        );
      default:
        return this.error(response, 404, 'NotFound', `no action ${action}`);
    }
  }
}

interface RouteContext {
  method: string;
  url: URL;
  body: unknown;
  response: ServerResponse;
  rest: string[];
  original: string[];
  operationError: { code: string; message: string } | undefined;
}

function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function inside(inner: string, outer: string): boolean {
  const [innerAddress = '', innerPrefix = '0'] = inner.split('/');
  const [outerAddress = '', outerPrefix = '0'] = outer.split('/');
  if (Number(innerPrefix) < Number(outerPrefix)) return false;
  const size = 2 ** (32 - Number(outerPrefix));
  return Math.floor(toNumber(innerAddress) / size) === Math.floor(toNumber(outerAddress) / size);
}

/** The `offset`-th address of a CIDR (Azure hands out .4 onwards). */
function addressIn(cidr: string, offset: number): string {
  const base = toNumber(cidr.split('/')[0] ?? '0.0.0.0') + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
}
