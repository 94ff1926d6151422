import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCoreError } from '../../../electron/core/errors';
import { MAX_TEMPLATE_BYTES, parseTemplate, serializeTemplate } from '../../../electron/core/playbooks/template-parse';
import type { PlaybookTemplate } from '../../../shared/playbooks';

/** A valid template; the tests below break one line of it and expect that line in the refusal. */
const VALID_LINES = [
  /*  1 */ 'id: test-playbook',
  /*  2 */ 'version: 1',
  /*  3 */ 'name: Test playbook',
  /*  4 */ 'steps:',
  /*  5 */ '  - id: contain',
  /*  6 */ '    phase: contain',
  /*  7 */ '    kind: manual',
  /*  8 */ '    title: Contain {{credential.name}}',
  /*  9 */ '  - id: choose',
  /* 10 */ '    phase: rotate',
  /* 11 */ '    kind: decision',
  /* 12 */ '    title: Choose a grace period',
  /* 13 */ '    options:',
  /* 14 */ '      - value: none',
  /* 15 */ '        label: None',
  /* 16 */ '      - value: day',
  /* 17 */ '        label: One day',
  /* 18 */ '  - id: revoke',
  /* 19 */ '    phase: revoke',
  /* 20 */ '    kind: automated',
  /* 21 */ '    action: revokeTokens',
  /* 22 */ '    params:',
  /* 23 */ '      source: exposureWindow',
  /* 24 */ '    destructive: true',
  /* 25 */ "    title: 'Revoke after {{decision.choose}}'",
];
const VALID = `${VALID_LINES.join('\n')}\n`;

/** VALID with line n (1-based) replaced by the given lines, or removed. */
function withLine(n: number, ...replacement: string[]): string {
  return `${[...VALID_LINES.slice(0, n - 1), ...replacement, ...VALID_LINES.slice(n)].join('\n')}\n`;
}
function without(...lineNumbers: number[]): string {
  return `${VALID_LINES.filter((_, i) => !lineNumbers.includes(i + 1)).join('\n')}\n`;
}

function refusal(text: string, source = 'test.yaml'): string {
  let thrown: unknown;
  try {
    parseTemplate(text, source);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('The template was accepted');
  expect(isCoreError(thrown) && thrown.code).toBe('PLAYBOOK_TEMPLATE_INVALID');
  return (thrown as Error).message;
}

describe('parseTemplate accepts', () => {
  it('a valid template, filling in the defaults', () => {
    const template = parseTemplate(VALID, 'test.yaml');
    expect(template.steps.map((step) => step.id)).toEqual(['contain', 'choose', 'revoke']);
    expect(template.steps[0]).toMatchObject({ guidance: '', forEachLocation: false, params: {}, destructive: false });
    expect(template.steps[2]).toMatchObject({ action: 'revokeTokens', params: { source: 'exposureWindow' }, destructive: true });
    expect(template.appliesTo).toEqual([]);
  });

  it('a template of exactly 256 KiB, counted in bytes', () => {
    const padding = MAX_TEMPLATE_BYTES - Buffer.byteLength(VALID) - 3;
    const text = `${VALID}# ${'x'.repeat(padding)}\n`;
    expect(Buffer.byteLength(text)).toBe(MAX_TEMPLATE_BYTES);
    expect(parseTemplate(text, 'test.yaml').id).toBe('test-playbook');
  });

  it('an anchor reused a few times (aliases are bounded, not banned)', () => {
    const text = withLine(8, '    title: Contain {{credential.name}}', '    guidance: &same Write down what you did.').replace(
      "    title: 'Revoke after {{decision.choose}}'",
      "    title: 'Revoke after {{decision.choose}}'\n    guidance: *same",
    );
    const template = parseTemplate(text, 'test.yaml');
    expect(template.steps[2].guidance).toBe('Write down what you did.');
  });

  it('variables in guidance, and location variables in a forEachLocation step', () => {
    const text = withLine(8, '    title: Remove the copy in {{location.description}}', '    forEachLocation: true', '    guidance: Ask {{ credential.owner }} about {{location.kind}}.');
    expect(parseTemplate(text, 'test.yaml').steps[0].forEachLocation).toBe(true);
  });
});

describe('parseTemplate refuses, naming the source, the line and the reason', () => {
  it('wrong indentation, deeper or shallower than the members around it', () => {
    expect(refusal(withLine(7, '   kind: manual'), 'leaked-key.yaml')).toMatch(/^leaked-key\.yaml line 7, column 1: Wrong indentation/);
    expect(refusal(withLine(7, '      kind: manual'))).toMatch(/^test\.yaml line 7, column 7: Wrong indentation: this line is indented deeper/);
    expect(refusal(withLine(7, '  kind: manual'))).toMatch(/^test\.yaml line 7, column 1: Wrong indentation/);
  });

  it('a tab used for indentation', () => {
    expect(refusal(withLine(7, '\tkind: manual'))).toBe('test.yaml line 7, column 1: A tab is used for indentation: indent with spaces');
  });

  it('an unknown action, at the action', () => {
    expect(refusal(withLine(21, '    action: rotateKey'))).toBe(
      'test.yaml line 21, column 13: steps[2].action — Unknown action "rotateKey": use one of revokeTokens, expectTokensInactive, expectKidPresent, expectKidAbsent, expectOldSecretRefused, markCredential',
    );
  });

  it('an automated step without an action, at the step', () => {
    expect(refusal(without(21, 22, 23))).toBe('test.yaml line 18, column 5: steps[2].action — An automated step names its action');
  });

  it('a decision with one option, at its options', () => {
    expect(refusal(without(16, 17))).toBe('test.yaml line 13, column 5: steps[1].options — A decision offers at least two options');
  });

  it('a step id used twice, at the second one', () => {
    expect(refusal(withLine(9, '  - id: contain'))).toBe('test.yaml line 9, column 9: steps[1].id — Step id "contain" is used twice');
  });

  it('an unknown variable, at the variable', () => {
    expect(refusal(withLine(8, '    title: Contain {{credential.secret}}'))).toMatch(
      /^test\.yaml line 8, column 20: steps\[0\]\.title — Unknown variable \{\{credential\.secret\}\}: use \{\{credential\.name\|environment\|owner\|provider\|kind\}\}/,
    );
    // In a block of guidance, the line of the variable itself.
    const guidance = withLine(8, '    title: Contain it', '    guidance: |-', '      First line.', '      Then ask {{credential.team}}.');
    expect(refusal(guidance)).toMatch(/^test\.yaml line 11, column 16: steps\[0\]\.guidance — Unknown variable \{\{credential\.team\}\}/);
  });

  it('a location variable outside a forEachLocation step', () => {
    expect(refusal(withLine(8, '    title: Contain {{location.description}}'))).toBe(
      'test.yaml line 8, column 20: steps[0].title — {{location.description}} is known only in a step with forEachLocation: true, which repeats once per location of the credential',
    );
  });

  it('a decision variable naming a later step, or a step that is not a decision', () => {
    expect(refusal(withLine(8, '    title: Contain {{decision.choose}}'))).toMatch(/^test\.yaml line 8, column 20: steps\[0\]\.title — \{\{decision\.choose\}\} names no decision step before this one/);
    expect(refusal(withLine(25, "    title: 'Revoke after {{decision.contain}}'"))).toMatch(/^test\.yaml line 25, column 26: steps\[2\]\.title — \{\{decision\.contain\}\} names no decision step/);
  });

  it('a variable that is not closed', () => {
    expect(refusal(withLine(8, '    title: Contain {{credential.name'))).toMatch(/^test\.yaml line 8, column 20: steps\[0\]\.title — A variable is not closed/);
  });

  it('variables padded with spaces, at once, naming the variable without them', () => {
    expect(refusal(withLine(8, `    title: Contain {{${' '.repeat(200)}credential.secret${' '.repeat(40)}}}`))).toMatch(/steps\[0\]\.title — Unknown variable \{\{credential\.secret\}\}:/);
    // Spaces matched around a lazy name took 20 s for this one guidance.
    const started = performance.now();
    expect(refusal(withLine(8, '    title: Contain it', `    guidance: '{{${' '.repeat(3_990)}x'`))).toMatch(/steps\[0\]\.guidance — A variable is not closed/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('revokeTokens not marked destructive, at the step or at its destructive: false', () => {
    expect(refusal(without(24))).toBe(
      'test.yaml line 18, column 5: steps[2].destructive — Revoking tokens cannot be undone: add destructive: true so the run asks for confirmation first',
    );
    expect(refusal(withLine(24, '    destructive: false'))).toMatch(/^test\.yaml line 24, column 18: steps\[2\]\.destructive — Revoking tokens cannot be undone/);
  });

  it('markCredential as revoked not marked destructive, while as rotated needs no confirmation', () => {
    const mark = (as: string) => [...VALID_LINES.slice(0, 20), '    action: markCredential', '    params:', `      as: ${as}`, ...VALID_LINES.slice(24)].join('\n');
    expect(refusal(mark('revoked'))).toMatch(/^test\.yaml line 18, column 5: steps\[2\]\.destructive — Marking a credential revoked cannot be undone/);
    expect(parseTemplate(mark('rotated'), 'test.yaml').steps[2].params).toEqual({ as: 'rotated' });
    expect(refusal(mark('deleted'))).toBe('test.yaml line 23, column 11: steps[2].params.as — Set as to rotated or revoked');
  });

  it('parameters that do not fit the action', () => {
    expect(refusal(withLine(23, '      source: all'))).toMatch(/^test\.yaml line 23, column 15: steps\[2\]\.params\.source — Set source to pasted .* or exposureWindow/);
    expect(refusal(withLine(23, '      source: pasted', '      extra: 1'))).toBe('test.yaml line 24, column 7: steps[2].params.extra — Unknown parameter "extra" for revokeTokens: it takes source');
    const kidStep = [...VALID_LINES.slice(0, 20), '    action: expectKidPresent', "    title: 'Check the new key'"].join('\n');
    expect(refusal(kidStep)).toMatch(/^test\.yaml line 18, column 5: steps\[2\]\.params\.kid — Set kid to new .*, old .* or a literal kid/);
    expect(refusal(withLine(8, '    title: Contain it', '    params:', '      source: pasted'))).toBe('test.yaml line 9, column 5: steps[0].params — Only an automated step has params');
  });

  it('an option value used twice, and a decision repeated per location', () => {
    expect(refusal(withLine(16, '      - value: none'))).toBe('test.yaml line 16, column 16: steps[1].options[1].value — Option value "none" is used twice');
    expect(refusal(withLine(11, '    kind: decision', '    forEachLocation: true'))).toBe(
      'test.yaml line 12, column 22: steps[1].forEachLocation — A decision is made once per run: it cannot repeat per location',
    );
  });

  it('YAML nested too deeply to read, without crashing', () => {
    expect(refusal(`${VALID}deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)).toMatch(/^test\.yaml line \d+, column \d+: The YAML is nested too deeply to read/);
  });

  it('a member the schema does not know, at its key', () => {
    expect(refusal(`${VALID}owner: team-payments\n`)).toBe('test.yaml line 26, column 1: owner — Unknown member "owner": a template has id, version, name, description, appliesTo, steps');
    expect(refusal(withLine(7, '    kind: manual', '    severity: high'))).toMatch(/^test\.yaml line 8, column 5: steps\[0\]\.severity — Unknown member "severity": a step has id, phase, kind, title/);
  });

  it('a duplicate key', () => {
    expect(refusal(withLine(7, '    kind: manual', '    kind: automated'))).toBe('test.yaml line 8, column 5: The key "kind" appears twice in the same mapping: keep one');
  });

  it('YAML syntax errors, at the line where the broken value starts', () => {
    expect(refusal(withLine(12, '    title: "Choose a grace period'))).toBe('test.yaml line 12, column 12: This quoted value is never closed: add the closing quote at the end of the value');
    expect(refusal(withLine(12, '    title: [Choose a grace period'))).toBe('test.yaml line 12, column 12: This [ is never closed: close it with ], or put the whole value in quotes');
  });

  it('a title starting with an unquoted variable, with the fix', () => {
    expect(refusal(withLine(8, '    title: {{credential.name}} leaked'))).toMatch(/^test\.yaml line 8, column \d+: .*A value that starts with \{\{ must be in quotes/);
    expect(refusal(withLine(8, '    title: {{credential.name}}'))).toMatch(/^test\.yaml line 8, column 13: A key must be plain text.*A value that starts with \{\{ must be in quotes/);
  });

  it('tags, several documents, and an empty file', () => {
    expect(refusal(withLine(3, 'name: !secret Test'))).toMatch(/^test\.yaml line 3, column 7: Tags \(!name\) are not allowed/);
    expect(refusal(`${VALID}---\nid: other\n`)).toMatch(/^test\.yaml line 26, column 1: A template is one YAML document/);
    expect(refusal('# nothing here\n')).toBe('test.yaml: the template is empty. It needs an id, a version, a name and steps.');
    expect(refusal('- a list\n')).toBe('test.yaml line 1, column 1: the template — Expected a mapping, found a list');
  });

  it('a template over 256 KiB, counted in bytes, before reading it', () => {
    const padding = MAX_TEMPLATE_BYTES - Buffer.byteLength(VALID) - 3;
    expect(refusal(`${VALID}# ${'x'.repeat(padding + 1)}\n`)).toBe('test.yaml: the template is 257 KiB; a template is at most 256 KiB. Split it, or shorten its guidance.');
    // Fewer characters than the bound, more bytes: 'é' is two bytes in UTF-8.
    const accents = `${VALID}# ${'é'.repeat(MAX_TEMPLATE_BYTES / 2)}\n`;
    expect(accents.length).toBeLessThan(MAX_TEMPLATE_BYTES);
    expect(refusal(accents)).toMatch(/^test\.yaml: the template is 257 KiB/);
  });

  it('an alias bomb, at the first alias, without expanding it', () => {
    const bomb = [
      'x: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      'y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'z: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'w: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'v: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'u: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n');
    const started = performance.now();
    expect(refusal(`${VALID}${bomb}\n`)).toMatch(/^test\.yaml line 27, column 8: Too many aliases: \*a/);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(refusal(VALID.replace('name: Test playbook', 'name: *nope'))).toBe('test.yaml line 3, column 7: The alias *nope names no anchor (&nope) defined above it');
  });

  it('a version given as text, in words a person reads', () => {
    expect(refusal(withLine(2, 'version: "1"'))).toBe('test.yaml line 2, column 10: version — Expected a number, found "1"');
    expect(refusal(without(3))).toBe('test.yaml line 1, column 1: name — Missing: a template needs name');
  });

  it('every problem in line order, at most five, with a count of the rest', () => {
    const broken = VALID.replace('version: 1', 'version: 0')
      .replace('name: Test playbook', 'name: ""')
      .replace('phase: contain', 'phase: later')
      .replace('kind: manual', 'kind: chore')
      .replace('phase: rotate', 'phase: soon')
      .replace('phase: revoke', 'phase: never');
    const lines = refusal(broken).split('\n');
    expect(lines).toEqual([
      'test.yaml line 2, column 10: version — Must be at least 1',
      'test.yaml line 3, column 7: name — Cannot be empty',
      'test.yaml line 6, column 12: steps[0].phase — Unknown phase "later": use one of contain, assess, rotate, revoke, verify, monitor, review',
      'test.yaml line 7, column 11: steps[0].kind — Unknown kind "chore": use one of manual, automated, decision',
      'test.yaml line 10, column 12: steps[1].phase — Unknown phase "soon": use one of contain, assess, rotate, revoke, verify, monitor, review',
      '…and 1 more problems.',
    ]);
  });
});

describe('serializeTemplate', () => {
  it('writes text that parses back to the same template, members at their defaults left out', () => {
    const template = parseTemplate(VALID, 'test.yaml');
    const text = serializeTemplate(template);
    expect(parseTemplate(text, 'exported.yaml')).toEqual(template);
    expect(text).not.toMatch(/forEachLocation|guidance|description/);
  });

  it('quotes whatever YAML would read as something else', () => {
    const template = parseTemplate(VALID, 'test.yaml');
    const awkward: PlaybookTemplate = {
      ...template,
      name: 'true',
      description: 'null',
      steps: template.steps.map((step, i) => ({
        ...step,
        title: ['{{credential.name}}: leaked # again', '- 1.5', "it's \"quoted\" & *starred*"][i],
        guidance: ['Line one   \n  indented line two\n\n\tline four', '@at: `tick` %pct', '0x1F'][i],
      })),
    };
    expect(parseTemplate(serializeTemplate(awkward), 'exported.yaml')).toEqual(awkward);
  });

  it('round-trips any text a title, guidance, name or option label can hold', () => {
    const text = (max: number) =>
      fc
        .string({ unit: 'binary', minLength: 1, maxLength: max })
        .filter((value) => value.trim() === value && value.length > 0 && !value.includes('{{') && !value.includes('}}'));
    const template = parseTemplate(VALID, 'test.yaml');
    fc.assert(
      fc.property(text(60), text(60), fc.string({ unit: 'binary', maxLength: 200 }).map((value) => value.trim()), text(40), (name, title, guidance, label) => {
        const changed: PlaybookTemplate = {
          ...template,
          name,
          steps: template.steps.map((step) => ({
            ...step,
            title: step.id === 'contain' ? title : step.title,
            guidance: guidance.replace(/\{\{|\}\}/g, ''),
            options: step.options?.map((option, i) => ({ ...option, label: i === 0 ? label : option.label })),
          })),
        };
        const reread = parseTemplate(serializeTemplate(changed), 'exported.yaml');
        expect(reread).toEqual(playbookWithTrimmedGuidance(changed));
      }),
      { numRuns: 200 },
    );
  });
});

/** The schema trims guidance, so removing braces from it may expose whitespace the reader trims. */
function playbookWithTrimmedGuidance(template: PlaybookTemplate): PlaybookTemplate {
  return { ...template, steps: template.steps.map((step) => ({ ...step, guidance: step.guidance.trim() })) };
}
