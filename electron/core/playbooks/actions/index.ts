/** Every automated step's action, by the name templates give it. */
import type { StepAction } from '../../../../shared/playbooks';
import { expectKidAbsent, expectKidPresent } from './expect-kid';
import { expectOldSecretRefused } from './expect-old-secret-refused';
import { expectTokensInactive } from './expect-tokens-inactive';
import { markCredential } from './mark-credential';
import { revokeTokens } from './revoke-tokens';
import type { StepActionDef } from './types';

export const STEP_ACTION_DEFS: Record<StepAction, StepActionDef> = {
  revokeTokens,
  expectTokensInactive,
  expectKidPresent,
  expectKidAbsent,
  expectOldSecretRefused,
  markCredential,
};

export type { ActionContext, PlanContext, RunFacts, StepActionDef, StepResult } from './types';
