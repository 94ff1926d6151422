/**
 * Inspects as the user types: every change asks main, and only the answer to the latest request is
 * kept, so a slow answer to an older paste never replaces a newer one. A screen left open asks
 * again when the clock alone changes the time checks (the answer's recheckAtMs: exp, the end of
 * the clock tolerance, nbf, iat), so "valid" never outlives the token.
 */
import { useEffect, useRef, useState } from 'react';
import type { Inspection, KeySource, TokenPolicy } from '../../../shared/tokens';
import { api, messageOf, unwrap } from '../../api';

const PAUSE_MS = 150;
/** setTimeout fires at once for longer delays; a recheck that far away is simply made again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A little past the boundary, so the check lands on the far side of it. */
const PAST_BOUNDARY_MS = 50;

export interface InspectionState {
  inspection: Inspection | null;
  /** When this answer came (epoch ms): the "this check" its findings speak of. */
  checkedAt: number | null;
  /** The text this answer is for: typing runs ahead of the answers, and a screen pairing two must not mix them. */
  token: string | null;
  /** The key this answer was checked with, for the same reason. */
  key: KeySource | null;
  /** Which token of the paste this answer read, for the same reason. */
  pick: number;
  error: string | null;
}

/** `pick`: which token to read from a paste that holds several (see Inspection.inPaste). */
export function useInspection(token: string, key: KeySource | null, policy: TokenPolicy | null, pick = 0): InspectionState {
  const [state, setState] = useState<InspectionState>({ inspection: null, checkedAt: null, error: null, token: null, key: null, pick: 0 });
  const [recheck, setRecheck] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    if (token.trim() === '') {
      setState({ inspection: null, checkedAt: null, error: null, token: null, key: null, pick: 0 });
      return;
    }
    // A short pause after the last keystroke: typing a policy with a vault key chosen would
    // otherwise open (and audit) that key once per character.
    const timer = setTimeout(() => {
      unwrap(api().tokens.inspect({ token, key, policy, pick })).then(
        (inspection) => request === latest.current && setState({ inspection, checkedAt: Date.now(), error: null, token, key, pick }),
        (e: unknown) => request === latest.current && setState({ inspection: null, checkedAt: null, error: messageOf(e), token, key, pick }),
      );
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [token, key, policy, pick, recheck]);
  const recheckAt = state.inspection?.recheckAtMs ?? null;
  useEffect(() => {
    if (recheckAt === null) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(PAST_BOUNDARY_MS, recheckAt - Date.now() + PAST_BOUNDARY_MS));
    const timer = setTimeout(() => setRecheck((n) => n + 1), delay);
    return () => clearTimeout(timer);
  }, [recheckAt]);
  return state;
}
