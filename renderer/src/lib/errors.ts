import type { ContractError } from '../../../main/common/contract';
import { asContractError } from '../transport/contractError';

/** A person-readable message for anything a call rejected with (ContractError or not). */
export function errorMessage(error: unknown): string {
  const e: ContractError = asContractError(error);
  const issues = (e.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  if (issues.length === 0) return e.message;
  if (issues.length === 1 && e.message.includes(issues[0]!)) return e.message;
  return `${e.message} (${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''})`;
}

export function errorCode(error: unknown): ContractError['code'] {
  return asContractError(error).code;
}
