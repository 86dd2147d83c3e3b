import { parseArgs } from 'node:util';
import type { FaultRuleInput } from '../drivers/sim/sim-faults.ts';
import { FAULT_KINDS } from '../drivers/sim/sim-faults.ts';
import {
  type CloudDriver,
  DriverError,
  PROVIDERS,
  type ProviderId,
  parseRegionId,
  parseResourceId,
  type Spec,
  usdPerHour,
  type Vm,
} from '../drivers/spec/index.ts';
import { Runtime } from '../runtime/runtime.ts';
import { commandAsk, commandChat } from './agent.ts';
import { commandCatalog } from './catalog.ts';
import { formatTable, money } from './format.ts';
import { commandMcp, commandServe } from './mcp.ts';
import { ensureNetwork, OWNER } from './network.ts';
import { type CliOptions, print, requireProvider, UsageError } from './usage.ts';
import { commandWeb } from './web.ts';

const HELP = `s2a — speech to action, multi-cloud (simulated clouds by default)

Usage: s2a <command> [options]

  ask "REQUEST" [--yes] [--continue] [--planner offline|llm]
                                 one request in English or Korean: a plan, one approval, then action
                                 (--yes approves plans within S2A_MAX_COST_PER_HOUR; --continue
                                 goes on with the last conversation, so "delete it" knows what "it" is)
  chat                           the same as a conversation (a REPL)
  start                          the web app (chat, voice, dashboard, map) at http://127.0.0.1:3000,
                                 MCP at /api/mcp; builds the UI first when needed (npm start)
  tour                           a guided tour in the terminal: regions, a VM created, shown, deleted
  providers                      the ten providers, their drivers and region counts
  regions [--provider P]         regions with coordinates
  specs --region P+R [--gpu] [--max-price N] [--limit N]
                                 specs and prices of a region, cheapest first
  vm create --region P+R --spec NAME [--name N] [--zone Z]
  vm list [--provider P]         VMs (add --all for terminated ones)
  vm show ID | vm suspend ID | vm resume ID | vm reboot ID | vm terminate ID
  vm delete ID                   terminate, then remove the network s2a made for it if unused
  billing [--provider P]         money accrued by sim VMs
  fault add --kind K [--provider P] [--region R] [--zone Z] [--operation OP] [--rate X] [--times N]
  fault list | fault clear       injected sim faults (kinds: ${FAULT_KINDS.join(', ')})
  catalog refresh [--provider P] pull specs, prices and images through the drivers into the catalog index
  catalog status [--provider P]  rows per provider, when they were refreshed and how old they are
  mcp                            the MCP server over stdio, for Claude Desktop and IDEs
  serve [--host H] [--port P]    the MCP server over HTTP at http://127.0.0.1:3001/mcp

Options: --json prints machine-readable output. State lives in $S2A_HOME (default ./.s2a).
`;

type Options = CliOptions;

function providerOfId(id: string | undefined): ProviderId {
  const parsed = id ? parseResourceId(id) : undefined;
  if (!parsed)
    throw new UsageError(`expected a VM id like aws+ap-northeast-2+i-0abc…, got ${id ?? 'nothing'}`);
  return parsed.provider;
}

function describeVm(vm: Vm): string {
  return formatTable(
    [
      ['id', vm.id],
      ['name', vm.name],
      ['status', `${vm.status} since ${vm.statusSince}${vm.statusReason ? ` (${vm.statusReason})` : ''}`],
      ['where', `${vm.provider} ${vm.region} ${vm.zone}`],
      ['spec', vm.specId],
      ['image', vm.imageId],
      ['addresses', `public ${vm.publicIp ?? '-'}, private ${vm.privateIp ?? '-'}`],
      ['login', `ssh ${vm.username}@${vm.publicIp ?? '<no public ip>'} -p ${vm.sshPort}`],
      [
        'tags',
        Object.entries(vm.tags)
          .map(([key, value]) => `${key}=${value}`)
          .join(' '),
      ],
    ],
    { header: false },
  );
}

async function waitForStatus(
  driver: CloudDriver,
  id: string,
  wanted: Vm['status'][],
  onChange: (vm: Vm) => void,
): Promise<Vm> {
  let last = '';
  for (;;) {
    const vm = await driver.getVm(id);
    if (vm.status !== last) {
      last = vm.status;
      onChange(vm);
    }
    if (wanted.includes(vm.status) || vm.status === 'Failed') return vm;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function cheapestSpec(driver: CloudDriver, region: string): Promise<Spec> {
  const specs = await driver.listSpecs({ region });
  const priced = specs
    .filter(
      (spec) => spec.pricePerHour !== null && spec.gpu === null && spec.vcpu >= 2 && spec.arch === 'x86_64',
    )
    .sort((first, second) => (usdPerHour(first) ?? 0) - (usdPerHour(second) ?? 0));
  const spec = priced[0];
  if (!spec) throw new Error(`no priced x86_64 spec with 2+ vCPUs and 4+ GiB in ${region}`);
  return spec;
}

async function commandTour(runtime: Runtime, options: Options): Promise<number> {
  const out = (line = '') => console.log(line);
  out(
    's2a — speech to action. This tour shows the simulated clouds at work (`s2a start` opens the web app).',
  );
  out(`State lives in ${runtime.store.location} (set S2A_HOME to move it).`);
  out(`Sim time scale: ${runtime.simConfig.timeScale} (S2A_SIM_TIME_SCALE; 1 = real cloud latencies).`);
  out();
  const rows: string[][] = [];
  let regionTotal = 0;
  for (const provider of PROVIDERS) {
    const driver = await runtime.driver(provider);
    const regions = await driver.listRegions();
    regionTotal += regions.length;
    const specs = runtime.world.specs.filter((spec) => spec.provider === provider).length;
    rows.push([
      provider,
      runtime.connections[provider].driver,
      String(regions.length),
      String(specs),
      regions
        .slice(0, 3)
        .map((region) => region.code)
        .join(', '),
    ]);
  }
  out(formatTable([['provider', 'driver', 'regions', 'specs', 'e.g.'], ...rows]));
  out(`${regionTotal} regions across ${PROVIDERS.length} providers, every one with coordinates.`);
  out();
  const provider: ProviderId = 'aws';
  const region = 'ap-northeast-2';
  const driver = await runtime.driver(provider);
  const spec = await cheapestSpec(driver, region);
  out(
    `Cheapest x86_64 spec with 2+ vCPUs and 4+ GiB in ${provider}+${region} (Seoul): ${spec.name}, ${spec.vcpu} vCPU, ${spec.memoryGiB} GiB, ${money(usdPerHour(spec))}/h (${spec.source}, ${spec.fetchedAt}).`,
  );
  const mci = `tour-${Date.now().toString(36)}`;
  const network = await ensureNetwork(driver, region, mci);
  out(
    `Network ready: vNet ${network.vNet.cspId}, subnet ${network.subnet.cspId} (${network.subnet.zone ?? 'regional'}), security group ${network.group.cspId} (SSH open), key pair ${network.keyPair.name}.`,
  );
  const image = (await driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' })).find(
    (item) => !item.gpuReady,
  );
  if (!image) throw new Error(`no Ubuntu image in ${region}`);
  const vm = await driver.createVm({
    region,
    name: `${mci}-vm`,
    specId: spec.id,
    imageId: image.id,
    subnetId: network.subnet.id,
    securityGroupIds: [network.group.id],
    keyPairId: network.keyPair.id,
    tags: { 's2a:mci': mci, 's2a:op': 'tour', 's2a:owner': OWNER },
  });
  out(`Created VM ${vm.cspId} from ${image.name}:`);
  const running = await waitForStatus(driver, vm.id, ['Running'], (current) => out(`  … ${current.status}`));
  out(describeVm(running));
  out();
  await driver.terminateVm(vm.id);
  await waitForStatus(driver, vm.id, ['Terminated'], (current) => out(`  … ${current.status}`));
  await network.release();
  out('Terminated the VM and removed its network: nothing left behind.');
  const sim = await runtime.simDriver(provider);
  const bill = await sim.billing({ tags: { 's2a:mci': mci } });
  out(
    `Billing meter for this tour: ${money(bill.totals.USD ?? 0, 6)} (sim money, from the spec's real price).`,
  );
  out();
  out('Try next:  npx s2a regions --provider gcp   |   npx s2a specs --region aws+us-east-1 --gpu');
  out('           npx s2a vm create --region gcp+asia-northeast3 --spec e2-medium   |   npx s2a --help');
  if (options.json) console.log(JSON.stringify({ regions: regionTotal, vm: running, billing: bill.totals }));
  return 0;
}

async function commandProviders(runtime: Runtime, options: Options): Promise<number> {
  const data = [];
  for (const provider of PROVIDERS) {
    const driver = await runtime.driver(provider);
    const regions = await driver.listRegions();
    data.push({
      provider,
      driver: runtime.connections[provider].driver,
      regions: regions.length,
      zones: regions.reduce((sum, region) => sum + region.zones.length, 0),
    });
  }
  print(
    options,
    formatTable([
      ['provider', 'driver', 'regions', 'zones'],
      ...data.map((row) => [row.provider, row.driver, String(row.regions), String(row.zones)]),
    ]),
    data,
  );
  return 0;
}

async function commandRegions(runtime: Runtime, options: Options): Promise<number> {
  const providers = options.values.provider ? [requireProvider(options.values.provider)] : PROVIDERS;
  const regions = [];
  for (const provider of providers) regions.push(...(await (await runtime.driver(provider)).listRegions()));
  print(
    options,
    formatTable([
      ['id', 'name', 'lat', 'lon', 'zones'],
      ...regions.map((region) => [
        region.id,
        region.displayName,
        region.latitude.toFixed(2),
        region.longitude.toFixed(2),
        String(region.zones.length),
      ]),
    ]),
    regions,
  );
  return 0;
}

async function commandSpecs(runtime: Runtime, options: Options): Promise<number> {
  const region = parseRegionId(String(options.values.region ?? ''));
  if (!region) throw new UsageError('--region must look like aws+ap-northeast-2 (see s2a regions)');
  const driver = await runtime.driver(region.provider);
  const maxPrice =
    options.values['max-price'] === undefined
      ? Number.POSITIVE_INFINITY
      : Number(options.values['max-price']);
  const limit = Number(options.values.limit ?? 20);
  const specs = (await driver.listSpecs({ region: region.region }))
    .filter(
      (spec) =>
        (!options.values.gpu || spec.gpu !== null) &&
        (usdPerHour(spec) ?? Number.POSITIVE_INFINITY) <= maxPrice,
    )
    .sort(
      (first, second) =>
        (usdPerHour(first) ?? Number.POSITIVE_INFINITY) - (usdPerHour(second) ?? Number.POSITIVE_INFINITY),
    )
    .slice(0, limit);
  print(
    options,
    formatTable([
      ['spec', 'vCPU', 'GiB', 'arch', 'GPU', '$/h', 'spot $/h'],
      ...specs.map((spec) => [
        spec.name,
        String(spec.vcpu),
        String(spec.memoryGiB),
        spec.arch,
        spec.gpu ? `${spec.gpu.count}× ${spec.gpu.model}` : '-',
        money(usdPerHour(spec)),
        money(spec.spotPricePerHour),
      ]),
    ]),
    specs,
  );
  return 0;
}

async function commandVm(runtime: Runtime, options: Options): Promise<number> {
  const [, action, id] = options.positionals;
  switch (action) {
    case 'create': {
      const region = parseRegionId(String(options.values.region ?? ''));
      if (!region) throw new UsageError('--region must look like aws+ap-northeast-2');
      if (typeof options.values.spec !== 'string')
        throw new UsageError('--spec is required, e.g. --spec t3.medium (see s2a specs)');
      const driver = await runtime.driver(region.provider);
      const spec = await driver.getSpec(`${region.provider}+${region.region}+${options.values.spec}`);
      const images = await driver.listImages({ region: region.region, arch: spec.arch });
      const image =
        images.find((item) => item.os === 'ubuntu' && item.gpuReady === (spec.gpu !== null)) ??
        images.find((item) => item.os === 'ubuntu');
      if (!image) throw new Error(`no Ubuntu ${spec.arch} image in ${region.region}`);
      const name =
        typeof options.values.name === 'string' ? options.values.name : `vm-${Date.now().toString(36)}`;
      let keyFile: string | undefined;
      const network = await ensureNetwork(driver, region.region, 'cli', {
        saveKey: async (keyName, privateKey) => {
          keyFile = await runtime.saveKey(keyName, privateKey);
        },
      });
      const vm = await driver.createVm({
        region: region.region,
        name,
        specId: spec.id,
        imageId: image.id,
        subnetId: network.subnet.id,
        securityGroupIds: [network.group.id],
        keyPairId: network.keyPair.id,
        ...(typeof options.values.zone === 'string' ? { zone: options.values.zone } : {}),
        tags: { 's2a:mci': 'cli', 's2a:op': `cli-${Date.now().toString(36)}`, 's2a:owner': OWNER },
      });
      const keyNote = keyFile ? `\nPrivate key of the new key pair: ${keyFile}` : '';
      print(
        options,
        `${describeVm(vm)}${keyNote}\n\nIt boots by itself; check with: s2a vm show ${vm.id}`,
        vm,
      );
      return 0;
    }
    case 'list': {
      const providers = options.values.provider ? [requireProvider(options.values.provider)] : PROVIDERS;
      const vms: Vm[] = [];
      for (const provider of providers)
        vms.push(
          ...(await (
            await runtime.driver(provider)
          ).listVms({ includeTerminated: Boolean(options.values.all) })),
        );
      print(
        options,
        vms.length === 0
          ? 'No VMs. Create one with: s2a vm create --region aws+ap-northeast-2 --spec t3.medium'
          : formatTable([
              ['id', 'name', 'status', 'zone', 'public ip'],
              ...vms.map((vm) => [vm.id, vm.name, vm.status, vm.zone, vm.publicIp ?? '-']),
            ]),
        vms,
      );
      return 0;
    }
    case 'show':
    case 'suspend':
    case 'resume':
    case 'reboot':
    case 'terminate':
    case 'delete': {
      const driver = await runtime.driver(providerOfId(id));
      const vmId = id as string;
      let vm: Vm;
      if (action === 'show') vm = await driver.getVm(vmId);
      else if (action === 'suspend') vm = await driver.suspendVm(vmId);
      else if (action === 'resume') vm = await driver.resumeVm(vmId);
      else if (action === 'reboot') vm = await driver.rebootVm(vmId);
      else {
        vm = await driver.terminateVm(vmId);
        if (action === 'delete') {
          vm = await waitForStatus(driver, vmId, ['Terminated'], (current) => {
            if (!options.json) console.log(`  … ${current.status}`);
          });
          const network = await ensureNetwork(driver, vm.region, 'cli', { create: false });
          const released = await network.release();
          if (released) await runtime.removeKey(`${driver.provider}-${vm.region}-${network.keyPair.name}`);
          if (!options.json && released)
            console.log('Removed the CLI network of that region: no other VM used it.');
        }
      }
      print(options, describeVm(vm), vm);
      return 0;
    }
    default:
      throw new UsageError(
        'vm needs an action: create, list, show, suspend, resume, reboot, terminate, delete',
      );
  }
}

async function commandBilling(runtime: Runtime, options: Options): Promise<number> {
  const providers = options.values.provider ? [requireProvider(options.values.provider)] : PROVIDERS;
  const lines = [];
  for (const provider of providers)
    lines.push(...(await (await runtime.simDriver(provider)).billing()).lines);
  const total = lines.reduce((sum, line) => sum + line.total, 0);
  print(
    options,
    formatTable([
      ['vm', 'status', 'hours', 'compute', 'disk', 'total'],
      ...lines.map((line) => [
        line.vmId,
        line.status,
        line.computeHours.toFixed(3),
        money(line.computeCost, 4),
        money(line.diskCost, 4),
        money(line.total, 4),
      ]),
      ['all', '', '', '', '', money(total, 4)],
    ]),
    { lines, total },
  );
  return 0;
}

async function commandFault(runtime: Runtime, options: Options): Promise<number> {
  const [, action] = options.positionals;
  const providers = options.values.provider ? [requireProvider(options.values.provider)] : PROVIDERS;
  if (action === 'add') {
    const kind = options.values.kind;
    if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`--kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    const rule: FaultRuleInput = { kind: kind as FaultRuleInput['kind'] };
    if (typeof options.values.region === 'string') rule.region = options.values.region;
    if (typeof options.values.zone === 'string') rule.zone = options.values.zone;
    if (typeof options.values.operation === 'string')
      rule.operation = options.values.operation as FaultRuleInput['operation'];
    if (options.values.rate !== undefined) rule.rate = Number(options.values.rate);
    if (options.values.times !== undefined) rule.times = Number(options.values.times);
    const ids = [];
    for (const provider of providers)
      ids.push(await (await runtime.simDriver(provider)).injectFault({ ...rule, provider }));
    print(options, `Added ${ids.length} fault rule(s): ${ids.join(', ')}`, ids);
    return 0;
  }
  if (action === 'list') {
    const rules = [];
    for (const provider of providers) rules.push(...(await (await runtime.simDriver(provider)).listFaults()));
    print(
      options,
      rules.length === 0 ? 'No injected faults.' : rules.map((rule) => JSON.stringify(rule)).join('\n'),
      rules,
    );
    return 0;
  }
  if (action === 'clear') {
    let removed = 0;
    for (const provider of providers) removed += await (await runtime.simDriver(provider)).clearFaults();
    print(options, `Removed ${removed} fault rule(s).`, { removed });
    return 0;
  }
  throw new UsageError('fault needs an action: add, list, clear');
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        provider: { type: 'string' },
        region: { type: 'string' },
        zone: { type: 'string' },
        spec: { type: 'string' },
        name: { type: 'string' },
        gpu: { type: 'boolean' },
        all: { type: 'boolean' },
        'max-price': { type: 'string' },
        limit: { type: 'string' },
        kind: { type: 'string' },
        operation: { type: 'string' },
        rate: { type: 'string' },
        times: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        continue: { type: 'boolean', short: 'c' },
        conversation: { type: 'string' },
        planner: { type: 'string' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const options: Options = {
    json: Boolean(parsed.values.json),
    values: parsed.values as Options['values'],
    positionals: parsed.positionals,
  };
  const command = parsed.positionals[0] ?? 'help';
  if (parsed.values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  const commands: Record<string, (runtime: Runtime, options: Options) => Promise<number>> = {
    start: commandWeb,
    tour: commandTour,
    providers: commandProviders,
    regions: commandRegions,
    specs: commandSpecs,
    vm: commandVm,
    billing: commandBilling,
    fault: commandFault,
    catalog: commandCatalog,
    mcp: commandMcp,
    serve: commandServe,
    ask: commandAsk,
    chat: commandChat,
  };
  const run = commands[command];
  if (!run) {
    console.error(`unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  let runtime: Runtime | undefined;
  try {
    // The tour moves at a watchable pace unless the user chose a time scale.
    const sim =
      ['start', 'tour', 'ask', 'chat'].includes(command) && !process.env.S2A_SIM_TIME_SCALE
        ? { timeScale: 0.05 }
        : {};
    runtime = await Runtime.open({ sim });
    return await run(runtime, options);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nRun "s2a --help" for usage.`);
      return 2;
    }
    if (error instanceof DriverError) {
      console.error(`${error.name} (${error.code}${error.retryable ? ', retryable' : ''}): ${error.message}`);
      return 1;
    }
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await runtime?.close();
  }
}
