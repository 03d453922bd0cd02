import type { Command } from 'commander';
import {
  exitPolicies, lawfulBases, readdPolicies, subscriptionTypes,
  type ExitPolicy, type LawfulBasis, type ReaddPolicy, type Subscription, type SubscriptionType,
} from '../common/domain/sync';

/** The flags for a sync's subscription details and safety rails, shared by `sync add` and `sync edit`. */
export interface SafetyFlags {
  subscription?: string;
  topic?: string[];
  lawfulBasis?: string;
  readd?: string;
  onExit?: string;
}

export function addSafetyFlags(cmd: Command): Command {
  return cmd
    .option('--subscription <type>', `subscription type: ${subscriptionTypes.join(' | ')}`)
    .option('--topic <name>', 'a topic the contacts are subscribed to, repeatable (create it with: listsync topic add NAME)', (v: string, p: string[] = []) => [...p, v])
    .option('--lawful-basis <basis>', `lawful basis recorded with each contact: ${lawfulBases.join(' | ')} | none`)
    .option('--readd <policy>', 'a contact that comes back (deleted, or removed from the list by you): join = joins at once, counted Re-added; review = waits in the review queue')
    .option('--on-exit <policy>', `a contact that stops matching the sync (criteria, or inactive in Zoho): ${exitPolicies.join(' | ')}`);
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag} is one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

/** The options the flags set, over `base` (the sync's current values when editing). */
export function safetyOptions(
  o: SafetyFlags,
  base: { subscription: Subscription; readdPolicy: ReaddPolicy; exitPolicy: ExitPolicy },
): { subscription: Subscription; readdPolicy: ReaddPolicy; exitPolicy: ExitPolicy } {
  const subscription: Subscription = { ...base.subscription };
  if (o.subscription !== undefined) subscription.type = oneOf<SubscriptionType>('--subscription', o.subscription, subscriptionTypes);
  if (o.topic !== undefined) subscription.topics = o.topic.map((t) => t.trim()).filter((t) => t !== '');
  if (o.lawfulBasis !== undefined) {
    subscription.lawfulBasis = o.lawfulBasis === 'none' ? null : oneOf<LawfulBasis>('--lawful-basis', o.lawfulBasis, lawfulBases);
  }
  return {
    subscription,
    readdPolicy: o.readd === undefined ? base.readdPolicy : oneOf<ReaddPolicy>('--readd', o.readd, readdPolicies),
    exitPolicy: o.onExit === undefined ? base.exitPolicy : oneOf<ExitPolicy>('--on-exit', o.onExit, exitPolicies),
  };
}
