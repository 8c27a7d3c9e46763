import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/** A moto_server on a loopback port, started by a test file and stopped by its PID. */
export interface Moto {
  readonly endpoint: string;
  readonly pid: number;
  /** POST JSON to moto's control API (canned results, state transitions). */
  control(pathname: string, body: unknown): Promise<void>;
  stop(): Promise<void>;
}

/** Whether moto_server can run here; under CI=true its absence fails instead of skipping. */
export function motoAvailability(): { ok: boolean; reason: string } {
  const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8' });
  const ok = probe.status === 0;
  const reason = ok ? 'moto_server found' : `moto_server not runnable (${probe.error?.message ?? probe.stderr?.trim()})`;
  if (!ok && process.env.CI === 'true') throw new Error(`${reason}: CI must run the lab CLI tests against moto (pip install 'moto[server]')`);
  if (!ok) console.warn(`lab CLI moto tests skipped locally: ${reason}`);
  return { ok, reason };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts moto_server on a free loopback port and waits until it answers. `stubs` answers JSON-protocol
 * operations moto does not model (by `X-Amz-Target`, e.g. `SageMaker.ListMonitoringSchedules`) from a
 * loopback proxy in front of moto; everything else goes to moto unchanged.
 */
export async function startMoto(stubs: Record<string, unknown> = {}): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok || res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error('moto_server did not answer within 15 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const proxy = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target in stubs) {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(stubs[target]));
      return;
    }
    const upstream = http.request(`${endpoint}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  const proxyPort = await new Promise<number>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as net.AddressInfo).port)));
  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    pid: child.pid!,
    async control(pathname, body) {
      const res = await fetch(`${endpoint}${pathname}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      if (res.status >= 300) throw new Error(`moto control ${pathname}: ${res.status} ${await res.text()}`);
    },
    stop() {
      proxy.close();
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid!, 'SIGTERM');
      });
    },
  };
}

/** Collects what the command line writes. */
export class Capture {
  public text = '';
  public write(s: string): boolean {
    this.text += s;
    return true;
  }
}
