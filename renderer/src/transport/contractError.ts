import { ContractError, contractErrorSchema } from '../../../main/common/contract';

/** Rebuilds the contract's error class from whatever crossed the wire (envelope error, bridge rejection). */
export function asContractError(value: unknown): ContractError {
  if (value instanceof ContractError) return value;
  const parsed = contractErrorSchema.safeParse(value);
  if (parsed.success) return new ContractError(parsed.data);
  const message = value instanceof Error ? value.message
    : typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string'
      ? (value as { message: string }).message
      : String(value);
  return new ContractError({ code: 'internal', message });
}
