// The rough estimate behind the weak-passphrase warning (issue 9, "Prompts and messages").
import { describe, expect, it } from 'vitest';
import { estimateBits, passphraseWeakness } from '../../src/cli/passphrase-strength.js';

describe('passphraseWeakness', () => {
  it.each(['password1', 'short', 'aaaaaaaaaaaaaaaa', '1234567890123', 'qwerty123456', 'Password2024', 'letmein letmein'])('calls %j weak', (weak) => {
    expect(passphraseWeakness(weak)).not.toBeNull();
  });

  it.each(['correct horse battery staple', 'tidy otter juggles 41 plums', 'v8#Lq2!zR9@mW4', 'Zürich Möwe Käsefondue'])('lets %j be', (strong) => {
    expect(passphraseWeakness(strong)).toBeNull();
  });

  it('counts runs and repeats as one bit, so a long run is still weak', () => {
    expect(estimateBits('abcdefghijklmnop')).toBeLessThan(30);
    expect(passphraseWeakness('abcdefghijklmnop')).toMatch(/^it looks easy to guess \(about \d+ bits/);
  });
});
