import { ContractError, type RolePolicyView } from '../../common/contract';
import type { CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import { checkEmail } from '../sync/emailValidity';
import { builtInRolePrefixes } from '../sync/roleAddresses';

type RuleHandlers = Pick<Handlers,
  'topics.list' | 'topics.create' | 'topics.delete' |
  'roles.get' | 'roles.addPrefix' | 'roles.removePrefix' | 'roles.addException' | 'roles.removeException'>;

/** The user-managed lists a sync refers to: subscription topics and the role-address rules. */
export function ruleHandlers(ctx: CoreContext): RuleHandlers {
  const topics = () => ctx.store.settings.topics();
  const roles = (): RolePolicyView => {
    const policy = ctx.store.settings.rolePolicy();
    return { builtin: [...builtInRolePrefixes()], extraPrefixes: [...policy.extraPrefixes], exceptions: [...policy.exceptions] };
  };
  return {
    'topics.list': () => topics(),
    'topics.create': ({ name }) => {
      if (topics().some((t) => t.toLowerCase() === name.toLowerCase())) {
        throw new ContractError({ code: 'conflict', message: `A topic named "${name}" already exists` });
      }
      ctx.store.settings.addTopic(name, ctx.nowIso());
      return topics();
    },
    'topics.delete': ({ name }) => {
      if (!topics().some((t) => t.toLowerCase() === name.toLowerCase())) {
        throw new ContractError({ code: 'not-found', message: `No topic named "${name}"` });
      }
      if (ctx.store.syncs.topicsInUse().has(name.toLowerCase())) {
        throw new ContractError({ code: 'conflict', message: `"${name}" is used by a sync; take it out of the sync's subscription first` });
      }
      ctx.store.settings.removeTopic(name);
      return topics();
    },

    'roles.get': () => roles(),
    'roles.addPrefix': ({ prefix }) => {
      if (builtInRolePrefixes().includes(prefix)) {
        throw new ContractError({ code: 'conflict', message: `"${prefix}@" is already on the built-in list` });
      }
      ctx.store.settings.addRolePrefix(prefix, ctx.nowIso());
      return roles();
    },
    'roles.removePrefix': ({ prefix }) => {
      ctx.store.settings.removeRolePrefix(prefix);
      return roles();
    },
    'roles.addException': ({ email }) => {
      const check = checkEmail(email);
      if (!check.ok) throw new ContractError({ code: 'invalid-request', message: `${email}: ${check.message}` });
      ctx.store.settings.addRoleException(email, ctx.nowIso());
      return roles();
    },
    'roles.removeException': ({ email }) => {
      ctx.store.settings.removeRoleException(email);
      return roles();
    },
  };
}

/** A sync's topics must come from the managed list (names compared case-insensitively). */
export function assertKnownTopics(ctx: CoreContext, wanted: readonly string[]): void {
  const known = new Set(ctx.store.settings.topics().map((t) => t.toLowerCase()));
  const unknown = wanted.filter((t) => !known.has(t.toLowerCase()));
  if (unknown.length > 0) {
    throw new ContractError({
      code: 'invalid-request',
      message: `Unknown topic(s): ${unknown.join(', ')}. Create them in Settings → Topics first.`,
    });
  }
}
