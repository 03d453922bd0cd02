// @vitest-environment happy-dom
// Huge texts from the source: screens show their start and their length, as text, never as HTML.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { clipLength, clipText } from '../../../../main/common/clip';
import LongText from './LongText.vue';

describe('clipText', () => {
  it('keeps texts up to the limit whole (every valid email address fits)', () => {
    const address = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(address).toHaveLength(254);
    expect(clipText(address)).toEqual({ shown: address, clipped: false });
    expect(clipText('x'.repeat(clipLength))).toEqual({ shown: 'x'.repeat(clipLength), clipped: false });
  });

  it('cuts longer texts, never inside a surrogate pair', () => {
    expect(clipText('A'.repeat(1024 * 1024))).toEqual({ shown: 'A'.repeat(clipLength), clipped: true });
    const emoji = '😀'.repeat(200); // 400 UTF-16 units
    const { shown } = clipText(`x${emoji}`);
    expect(shown).toBe(`x${'😀'.repeat(127)}`);
    expect(/[\ud800-\udbff]$/.test(shown)).toBe(false);
  });
});

describe('LongText', () => {
  it('renders markup as text', () => {
    const w = mount(LongText, { props: { text: '<img src=x onerror="window.__pwned=1"><script>alert(1)</script>' } });
    expect(w.find('img').exists()).toBe(false);
    expect(w.find('script').exists()).toBe(false);
    expect(w.get('[data-part="text"]').text()).toBe('<img src=x onerror="window.__pwned=1"><script>alert(1)</script>');
    expect(w.find('[data-part="clipped"]').exists()).toBe(false);
  });

  it('says how long a clipped text is', () => {
    const w = mount(LongText, { props: { text: 'W'.repeat(65_536) } });
    expect(w.get('[data-part="text"]').text()).toBe('W'.repeat(clipLength));
    expect(w.get('[data-part="clipped"]').text()).toBe(`… (${(65_536).toLocaleString()} characters)`);
  });
});
