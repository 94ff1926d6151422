/**
 * Inspects as the user types: every change asks main, and only the answer to the latest request is
 * kept, so a slow answer to an older paste never replaces a newer one.
 */
import { useEffect, useRef, useState } from 'react';
import type { Inspection, KeySource, TokenPolicy } from '../../../shared/tokens';
import { api, messageOf, unwrap } from '../../api';

const PAUSE_MS = 150;

export function useInspection(token: string, key: KeySource | null, policy: TokenPolicy | null): { inspection: Inspection | null; error: string | null } {
  const [state, setState] = useState<{ inspection: Inspection | null; error: string | null }>({ inspection: null, error: null });
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    if (token.trim() === '') {
      setState({ inspection: null, error: null });
      return;
    }
    // A short pause after the last keystroke: typing a policy with a vault key chosen would
    // otherwise open (and audit) that key once per character.
    const timer = setTimeout(() => {
      unwrap(api().tokens.inspect({ token, key, policy })).then(
        (inspection) => request === latest.current && setState({ inspection, error: null }),
        (e: unknown) => request === latest.current && setState({ inspection: null, error: messageOf(e) }),
      );
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [token, key, policy]);
  return state;
}
