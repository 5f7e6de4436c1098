import type { LoggerService } from '@nestjs/common';
import {
  VaultRequestError,
  type VaultApi,
  type VaultKvSecret,
  type VaultLogin,
  type VaultTokenInfo,
} from '../src/vault/vault-api';
import type { Scheduler } from '../src/vault/vault-secret.source';

/**
 * Test doubles for the specs of the Vault source logic (the e2e suites use a real OpenBao):
 * a scripted VaultApi, a scheduler whose clock the spec advances, and a log recorder.
 */

export class ManualScheduler implements Scheduler {
  private time = 0;
  private readonly timers: { at: number; run: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + ms, run, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  pending(): number[] {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at - this.time);
  }

  /** Moves the clock, running due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.time = Math.max(this.time, due.at);
      due.run();
      await settle();
    }
    this.time = until;
    await settle();
  }
}

/** Lets chained promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: string): void {
    this.lines.push(`log ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
}

type Step<T> = T | VaultRequestError | Error;

/** A VaultApi whose answers the spec queues; every call is recorded with the token it carried. */
export class ScriptedVaultApi implements VaultApi {
  readonly calls: string[] = [];
  token: string | undefined;
  readonly kv: Step<VaultKvSecret>[] = [];
  readonly logins: Step<VaultLogin>[] = [];
  readonly renewals: Step<VaultTokenInfo>[] = [];
  lookup: Step<VaultTokenInfo> = { expires: false, ttlSeconds: 0, renewable: false };
  /** Answer for reads once the queue is empty. */
  kvDefault: Step<VaultKvSecret> = { data: {}, version: 1 };

  setToken(token: string | undefined): void {
    this.token = token;
  }
  loginAppRole(mount: string, roleId: string, secretId: string | undefined): Promise<VaultLogin> {
    this.calls.push(`login approle ${mount} ${roleId} ${secretId ?? '-'}`);
    return this.answer(this.logins.shift() ?? new Error('no login scripted')).then((login) => {
      this.token = login.token;
      return login;
    });
  }
  loginKubernetes(mount: string, role: string, jwt: string): Promise<VaultLogin> {
    this.calls.push(`login kubernetes ${mount} ${role} ${jwt}`);
    return this.answer(this.logins.shift() ?? new Error('no login scripted')).then((login) => {
      this.token = login.token;
      return login;
    });
  }
  lookupSelf(): Promise<VaultTokenInfo> {
    this.calls.push(`lookup-self ${this.token}`);
    return this.answer(this.lookup);
  }
  renewSelf(): Promise<VaultTokenInfo> {
    this.calls.push(`renew-self ${this.token}`);
    return this.answer(this.renewals.shift() ?? new Error('no renewal scripted'));
  }
  revokeSelf(): Promise<void> {
    this.calls.push(`revoke-self ${this.token}`);
    return Promise.resolve();
  }
  readKv(mount: string, path: string, version: 1 | 2): Promise<VaultKvSecret> {
    this.calls.push(`read ${mount}/${path} v${version} ${this.token}`);
    return this.answer(this.kv.shift() ?? this.kvDefault);
  }
  private answer<T>(step: Step<T>): Promise<T> {
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  }
}

export const forbidden = (request = 'GET /v1/secret/data/relay') =>
  new VaultRequestError(request, 403, 'permission denied');
export const refused = (request = 'GET /v1/secret/data/relay') =>
  new VaultRequestError(request, undefined, 'connection refused');
