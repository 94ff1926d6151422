/**
 * A step's guidance as readable text. Templates wrap their YAML at a fixed width, and variables
 * filled in later change the line lengths, so the line breaks are not kept: lines join into
 * paragraphs (a blank line separates them) and `- ` items into lists, an indented line continuing
 * its item.
 */
type Block = { list: false; text: string } | { list: true; items: string[] };

export function guidanceBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  // A blank line, with CRLF endings too.
  for (const paragraph of text.split(/\r?\n[ \t\r]*\n/)) {
    let current: Block | null = null;
    let inItem = false;
    for (const line of paragraph.split('\n')) {
      if (!line.trim()) continue;
      // One blank after the bullet; the item is trimmed, so more need not be matched (\s+ and .* would trade them).
      const item = /^\s*[-*•]\s(.*)$/s.exec(line);
      if (item) {
        if (!current || !current.list) blocks.push((current = { list: true, items: [] }));
        current.items.push(item[1].trim());
        inItem = true;
      } else if (current && current.list && inItem && /^\s/.test(line)) {
        current.items[current.items.length - 1] += ` ${line.trim()}`;
      } else if (current && !current.list) {
        current.text += ` ${line.trim()}`;
      } else {
        blocks.push((current = { list: false, text: line.trim() }));
        inItem = false;
      }
    }
  }
  return blocks;
}

export function Guidance({ text }: { text: string }) {
  return (
    <div className="guidance">
      {guidanceBlocks(text).map((block, i) =>
        block.list ? (
          <ul key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>{block.text}</p>
        ),
      )}
    </div>
  );
}
