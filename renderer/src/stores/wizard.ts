// The New Sync wizard's draft. It lives in a store so Back, Next and leaving the page keep what
// was entered; it is reset when a sync is initiated or the person starts over.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DryRunResult } from '../../../main/common/contract';
import { defaultMapping, type UpdatePolicy } from '../../../main/common/domain/mapping';
import { defaultSubscription, newSyncSchema, type ExitPolicy, type NewSync, type ReaddPolicy, type Subscription } from '../../../main/common/domain/sync';
import {
  buildImportOption, buildMapping, buildRetrievalStart, buildSchedule, defaultScheduleForm, mappingToRows, newConditionRow,
  type Checked, type ConditionRow, type MappingRow, type RetrievalForm, type ScheduleForm,
} from '../lib/forms';

export type WizardStep = 1 | 2 | 3 | 4;
export const wizardSteps: ReadonlyArray<{ step: WizardStep; title: string }> = [
  { step: 1, title: 'Sync details' },
  { step: 2, title: 'Map fields' },
  { step: 3, title: 'Configure sync' },
  { step: 4, title: 'Preview' },
];

export const useWizardStore = defineStore('wizard', () => {
  const step = ref<WizardStep>(1);
  const reached = ref<WizardStep>(1);
  /** Steps whose "Save and Continue" was tried: their errors show. */
  const tried = ref<Record<number, boolean>>({});

  const accountId = ref('');
  const organizationId = ref('');
  const importKind = ref<'all' | 'criteria'>('all');
  const match = ref<'all' | 'any'>('all');
  const conditions = ref<ConditionRow[]>([]);
  const listId = ref('');
  const name = ref('');
  const nameEdited = ref(false);

  const mapping = ref<MappingRow[]>(mappingToRows(defaultMapping()));
  const updatePolicy = ref<UpdatePolicy>('overwrite');
  const updateEmptyValues = ref(false);

  const schedule = ref<ScheduleForm>(defaultScheduleForm());
  const retrieval = ref<RetrievalForm>({ kind: 'all', afterLocal: '' });
  /** A recurring sync's first retrieval right after Initiate (a one-time sync always runs at once). */
  const runNow = ref(true);

  const subscription = ref<Subscription>(defaultSubscription());
  const readdPolicy = ref<ReaddPolicy>('join');
  const exitPolicy = ref<ExitPolicy>('keep');

  const preview = ref<DryRunResult | null>(null);
  const previewFor = ref('');

  function reset(forAccount: string | null = null): void {
    step.value = 1;
    reached.value = 1;
    tried.value = {};
    accountId.value = forAccount ?? '';
    organizationId.value = '';
    importKind.value = 'all';
    match.value = 'all';
    conditions.value = [];
    listId.value = '';
    name.value = '';
    nameEdited.value = false;
    mapping.value = mappingToRows(defaultMapping());
    updatePolicy.value = 'overwrite';
    updateEmptyValues.value = false;
    schedule.value = defaultScheduleForm();
    retrieval.value = { kind: 'all', afterLocal: '' };
    runNow.value = true;
    subscription.value = defaultSubscription();
    readdPolicy.value = 'join';
    exitPolicy.value = 'keep';
    preview.value = null;
    previewFor.value = '';
  }

  function useCriteria(kind: 'all' | 'criteria'): void {
    importKind.value = kind;
    if (kind === 'criteria' && conditions.value.length === 0) conditions.value = [newConditionRow()];
  }

  const importOption = computed(() => buildImportOption(importKind.value, match.value, conditions.value));

  const detailsErrors = computed<string[]>(() => {
    const e: string[] = [];
    if (!accountId.value) e.push('Choose the Zoho Invoice account');
    if (!organizationId.value) e.push('Select the organization to sync');
    if (!importOption.value.ok) e.push(...importOption.value.errors);
    if (!listId.value) e.push('Select the mailing list to sync to, or create one');
    if (!name.value.trim()) e.push('Give the sync a name');
    return e;
  });
  const mappingChecked = computed(() => buildMapping(mapping.value));
  const scheduleChecked = computed(() => buildSchedule(schedule.value));
  const retrievalChecked = computed(() => buildRetrievalStart(retrieval.value));
  const configureErrors = computed<string[]>(() => [
    ...(scheduleChecked.value.ok ? [] : scheduleChecked.value.errors),
    ...(retrievalChecked.value.ok ? [] : retrievalChecked.value.errors),
  ]);

  /** What syncs.create's runNow gets: a one-time sync runs at once whatever the checkbox says. */
  const runsAtOnce = computed(() => schedule.value.kind === 'once' || runNow.value);

  const errorsOf = (s: WizardStep): string[] =>
    s === 1 ? detailsErrors.value : s === 2 ? (mappingChecked.value.ok ? [] : mappingChecked.value.errors) : s === 3 ? configureErrors.value : [];

  const draft = computed<Checked<NewSync>>(() => {
    const io = importOption.value;
    const m = mappingChecked.value;
    const s = scheduleChecked.value;
    const r = retrievalChecked.value;
    if (!io.ok || !m.ok || !s.ok || !r.ok || detailsErrors.value.length > 0) {
      return { ok: false, errors: [...detailsErrors.value, ...errorsOf(2), ...configureErrors.value] };
    }
    const parsed = newSyncSchema.safeParse({
      name: name.value.trim(),
      accountId: accountId.value,
      organizationId: organizationId.value,
      importOption: io.value,
      listId: listId.value,
      mapping: m.value,
      updatePolicy: updatePolicy.value,
      updateEmptyValues: updatePolicy.value === 'overwrite' ? updateEmptyValues.value : false,
      schedule: s.value,
      retrievalStart: r.value,
      subscription: subscription.value,
      readdPolicy: readdPolicy.value,
      exitPolicy: exitPolicy.value,
    });
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: parsed.error.issues.map((i) => i.message) };
  });

  /** "Save and Continue": moves on when the step is complete, else shows what is missing. */
  function next(): boolean {
    tried.value = { ...tried.value, [step.value]: true };
    if (errorsOf(step.value).length > 0) return false;
    if (step.value < 4) {
      step.value = (step.value + 1) as WizardStep;
      if (step.value > reached.value) reached.value = step.value;
    }
    return true;
  }

  function back(): void {
    if (step.value > 1) step.value = (step.value - 1) as WizardStep;
  }

  /** Jumps to a step already reached (the stepper). */
  function goTo(target: WizardStep): void {
    if (target <= reached.value) step.value = target;
  }

  return {
    step, reached, tried, accountId, organizationId, importKind, match, conditions, listId, name, nameEdited,
    mapping, updatePolicy, updateEmptyValues, schedule, retrieval, runNow, subscription, readdPolicy, exitPolicy, preview, previewFor,
    importOption, detailsErrors, mappingChecked, scheduleChecked, retrievalChecked, configureErrors, draft, runsAtOnce,
    reset, useCriteria, errorsOf, next, back, goTo,
  };
});
