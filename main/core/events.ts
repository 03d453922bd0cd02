import { eventNames, type EventName, type EventPayload } from '../common/contract';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** The core's pushed events, typed by the contract; Electron and the browser host forward them. */
export class CoreEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  /** Any event, for transports that forward everything. */
  onAny(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void {
    const offs = eventNames.map((e) => this.on(e, (p) => listener(e, p)));
    return () => offs.forEach((off) => off());
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch {
        // A failing listener (a closed window) must not break a run.
      }
    }
  }
}
