/** A step's guidance read into paragraphs and lists, whatever line endings and blanks it was written with. */
import { describe, expect, it } from 'vitest';
import { guidanceBlocks } from '../../../renderer/features/playbooks/Guidance';

describe('guidanceBlocks', () => {
  it('joins lines into paragraphs and bullets into lists, an indented line continuing its item', () => {
    expect(guidanceBlocks('Rotate the key\nat the provider.\n\n- Revoke  the old one\n  in the console.\n*   Tell the owner.\n\nDone.')).toEqual([
      { list: false, text: 'Rotate the key at the provider.' },
      { list: true, items: ['Revoke  the old one in the console.', 'Tell the owner.'] },
      { list: false, text: 'Done.' },
    ]);
  });

  it('reads text written with CRLF line endings as written with LF', () => {
    expect(guidanceBlocks('- First\r\n- Second\r\n')).toEqual([{ list: true, items: ['First', 'Second'] }]);
    const text = 'Rotate it.\n\n- Revoke\n  the old one.\n\n  Then tell the owner.';
    expect(guidanceBlocks(text.replaceAll('\n', '\r\n'))).toEqual(guidanceBlocks(text));
    expect(guidanceBlocks(text)).toHaveLength(3);
  });

  it('reads a bullet followed by a long run of blanks and a carriage return at once', () => {
    // \s+ then .* traded the blanks between them when the line did not end where . could reach.
    const started = performance.now();
    expect(guidanceBlocks(`-${' '.repeat(200_000)}\rx`)).toEqual([{ list: true, items: ['x'] }]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
