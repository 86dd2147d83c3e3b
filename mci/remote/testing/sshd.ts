import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { generateEd25519KeyPair } from '../../../drivers/spec/ssh-keys.ts';

/**
 * A real OpenSSH server for tests: `sshd -D -e -f <temporary config>` on 127.0.0.1, a temporary
 * host key made with ssh-keygen, one authorized key generated here, running as the current user.
 * Debian's openssh-server provides /usr/sbin/sshd (.ci/run installs it).
 */

const SSHD_CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'];

export function findSshd(): string {
  const found = SSHD_CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'OpenSSH server (sshd) is not installed, and the SSH tests need it: run `apt-get install -y openssh-server` (CI installs it through .ci/run)',
    );
  }
  return found;
}

export interface TestSshd {
  host: string;
  port: number;
  username: string;
  /** The authorized user key (OpenSSH format). */
  privateKey: string;
  /** `ssh-ed25519 AAAA…` of the host key. */
  hostPublicKey: string;
  /** What `ssh-keygen -lf` says of the host key. */
  hostFingerprint: string;
  /** sshd's log (stderr) so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartSshdOptions {
  /** A fresh temporary directory for the config, keys and pid file. */
  directory: string;
  /** Default: a free port. */
  port?: number;
  /** Reuse this user key instead of generating one. */
  privateKey?: string;
  publicKey?: string;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function bannerArrives(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('data', (data) => done(data.toString('latin1').startsWith('SSH-2.0-')));
    socket.on('error', () => done(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startSshd(options: StartSshdOptions): Promise<TestSshd> {
  const sshd = findSshd();
  const { directory } = options;
  // Debian's sshd refuses to start without its privilege separation directory (systemd makes it).
  if (!existsSync('/run/sshd')) {
    if (process.getuid?.() !== 0) throw new Error('/run/sshd is missing; create it (as root) to run sshd');
    mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
  }
  const hostKeyFile = join(directory, `host_ed25519_${Date.now()}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 's2a-test-host', '-f', hostKeyFile]);
  const hostPublicKey = readFileSync(`${hostKeyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const hostFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKeyFile}.pub`], {
    encoding: 'utf8',
  }).split(/\s+/)[1] as string;

  let privateKey = options.privateKey;
  let publicKey = options.publicKey;
  if (!privateKey || !publicKey) {
    const pair = generateEd25519KeyPair('s2a-test-user');
    privateKey = pair.privateKey;
    publicKey = pair.publicKey;
  }
  const authorizedKeys = join(directory, 'authorized_keys');
  writeFileSync(authorizedKeys, `${publicKey}\n`, { mode: 0o600 });

  const port = options.port ?? (await freePort());
  const config = join(directory, `sshd_config_${port}`);
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyFile}`,
      `PidFile ${join(directory, `sshd_${port}.pid`)}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  execFileSync(sshd, ['-t', '-f', config], { stdio: 'pipe' });

  const child = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const deadline = Date.now() + 10_000;
  while (!(await bannerArrives(port))) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not answer on 127.0.0.1:${port} within 10 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    username: userInfo().username,
    privateKey,
    hostPublicKey,
    hostFingerprint,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    },
  };
}
