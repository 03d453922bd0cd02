// Contact data from Zoho Invoice has no length limit: a name can be a megabyte. Shown whole in a
// table it freezes the page (layout of a million-character line), so screens show the start of
// such a text and say how long it is (renderer LongText); exports carry it whole.

/** Longest text shown whole: every valid email address (254) fits. */
export const clipLength = 256;

/** The start of `text`, at most `max` UTF-16 units, never ending inside a surrogate pair. */
export function clipText(text: string, max = clipLength): { shown: string; clipped: boolean } {
  if (text.length <= max) return { shown: text, clipped: false };
  let shown = text.slice(0, max);
  const last = shown.charCodeAt(shown.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) shown = shown.slice(0, -1);
  return { shown, clipped: true };
}
