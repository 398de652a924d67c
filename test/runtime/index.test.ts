import { describe, expect, it } from 'vitest';

describe('rulec/runtime, the embedding entry', () => {
  it('resolves through package.json exports to the built runtime with the daemon and the contract', async () => {
    const runtime = await import('rulec/runtime');
    const contract = await import('rulec/contract');
    expect(typeof runtime.runMain).toBe('function');
    expect(typeof runtime.Supervisor).toBe('function');
    expect(runtime.CONTRACT_VERSION).toBe(contract.CONTRACT_VERSION);
  });
});
