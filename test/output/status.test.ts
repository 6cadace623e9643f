// The attention items of `lifeboat status`, built from facts by small functions (issue 9, "New commands").
import { describe, expect, it } from 'vitest';
import { conflictCopies, renderStatus, sheetsToDestroy, statusReport, unlockSession, type StatusFacts } from '../../src/output/status.js';
import { account, batch, code, vaultOf } from '../domain/support.js';

const NOW = '2026-11-30T12:00:00.000Z';
const DEFAULT = { memoryKiB: 65536, passes: 3 };

function facts(extra: Partial<StatusFacts> = {}): StatusFacts {
  return {
    vaultFile: '/home/ada/.local/share/lifeboat/vault.lifeboat',
    content: vaultOf(account('a1', 'forum', [batch('b1', '2026-11-01T00:00:00.000Z', ['1111', '2222', '3333'])])),
    now: NOW,
    cost: DEFAULT,
    defaultCost: DEFAULT,
    lastExport: '2026-11-02T00:00:00.000Z',
    folder: { path: '/home/ada/.local/share/lifeboat', mode: 0o700 },
    fileMode: 0o600,
    ...extra,
  };
}

describe('statusReport', () => {
  it('nothing needs attention: only the two info lines', () => {
    const report = statusReport(facts());
    expect(report.attention).toBe(false);
    expect(renderStatus(report)).toBe(
      [
        'vault /home/ada/.local/share/lifeboat/vault.lifeboat: 1 account',
        'nothing needs attention',
        '  last encrypted export written 2026-11-02 00:00 UTC',
        "  key derivation 64 MiB, 3 passes (today's default: 64 MiB, 3 passes)",
        '',
      ].join('\n'),
    );
  });

  it('a sheet of a superseded batch is to be destroyed for 30 days after it was superseded, then no more', () => {
    const old = (supersededAt: string) =>
      vaultOf(
        account('a1', 'forum', [
          batch('b1', '2026-09-01T00:00:00.000Z', ['1111'], { supersededAt, printedAt: '2026-09-02T00:00:00.000Z', copiedAt: '2026-09-03T00:00:00.000Z' }),
          batch('b2', supersededAt, ['2222', '3333']),
        ]),
      );
    const recent = sheetsToDestroy(facts({ content: old('2026-11-01T00:00:00.000Z') }));
    expect(recent.map((item) => item.kind)).toEqual(['destroy-sheet', 'destroy-copy']);
    expect(sheetsToDestroy(facts({ content: old('2026-10-30T11:59:59.000Z') }))).toEqual([]);
  });

  it('a cost below the default, an open folder and a readable file each need attention, with the fix', () => {
    const report = statusReport(facts({ cost: { memoryKiB: 19456, passes: 2 }, folder: { path: '/srv/x', mode: 0o777 }, fileMode: 0o644 }));
    expect(report.items.filter((item) => item.level === 'attention').map((item) => [item.kind, item.hint])).toEqual([
      ['key-derivation', 'raise it with `lifeboat passwd --kdf-memory 64 --kdf-passes 3`'],
      ['unsafe-folder', 'run `chmod 700 /srv/x`'],
      ['unsafe-file', 'run `chmod 600 /home/ada/.local/share/lifeboat/vault.lifeboat`'],
    ]);
    expect(renderStatus(report)).toContain("  ! the vault's folder /srv/x can be read and written by other users (mode 777)\n");
  });

  it('the seams: conflict copies need attention, an unlock session is said', () => {
    expect(conflictCopies(facts())).toEqual([]);
    expect(conflictCopies(facts({ conflictCopies: ['a', 'b'] }))).toMatchObject([{ kind: 'conflict-copies', level: 'attention', message: '2 conflict copies of the vault waiting to be merged' }]);
    expect(unlockSession(facts())).toEqual([]);
    expect(unlockSession(facts({ session: { open: true, until: '2026-11-30T12:15:00.000Z' } }))).toMatchObject([
      { kind: 'unlock-session', level: 'info', message: 'an unlock session is open until 2026-11-30 12:15 UTC' },
    ]);
  });

  it('an empty batch and a low one are named; codes never appear', () => {
    const content = vaultOf(
      account('a1', 'bank', [batch('b1', '2026-11-01T00:00:00.000Z', [code('1111', NOW), code('2222', NOW)])]),
      account('a2', 'mail', [batch('b2', '2026-11-01T00:00:00.000Z', ['3333', code('4444', NOW), code('5555', NOW), code('6666', NOW)])]),
    );
    const report = statusReport(facts({ content, lastExport: null }));
    expect(report.items.filter((item) => item.level === 'attention').map((item) => item.message)).toEqual(['bank: no unspent code left', 'mail: only 1 of 4 codes left']);
    expect(JSON.stringify(report)).not.toMatch(/1111|3333/);
  });
});
