import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NoticeStack, VISIBLE_NOTICES } from '../../../../renderer/components/notices.tsx';
import { installStore } from '../../../../renderer/store/index.ts';
import { fakeBridge } from '../store/fake-bridge.ts';

const store = installStore(fakeBridge({}).bridge);

function render(expanded = false): string {
  const notices = store.getState().notices;
  return renderToStaticMarkup(
    <NoticeStack notices={notices} expanded={expanded} setExpanded={() => {}} setHeld={() => {}} />,
  );
}

describe('Notices', () => {
  it('renders nothing without notices', () => {
    store.getState().dismissAllNotices();
    expect(render()).toBe('');
  });

  it('shows the newest three, newest first, then "+N more" with Dismiss all', () => {
    store.getState().dismissAllNotices();
    for (let i = 1; i <= 5; i++) store.getState().pushNotice('info', `Message ${i}`);
    const html = render();
    const shown = [...html.matchAll(/<p>(Message \d)/g)].map((m) => m[1]);
    expect(shown).toEqual(['Message 5', 'Message 4', 'Message 3']);
    expect(shown).toHaveLength(VISIBLE_NOTICES);
    expect(html).toContain('+2 more');
    expect(html).toContain('Dismiss all');
    // Expanded, every one shows, and the line offers to fold them again.
    const all = render(true);
    expect([...all.matchAll(/<p>(Message \d)/g)]).toHaveLength(5);
    expect(all).toContain('Show fewer');
  });

  it('announces each message once: the toasts are live regions, the stack is not', () => {
    store.getState().dismissAllNotices();
    store.getState().pushNotice('error', 'The API key was rejected.');
    store.getState().pushNotice('info', 'Saved.');
    const html = render();
    expect(html).not.toContain('aria-live');
    expect(html).toContain('role="alert"');
    expect(html).toContain('role="status"');
    expect(html).not.toContain('more</button>');
  });

  it('shows a repeated message once, with its count', () => {
    store.getState().dismissAllNotices();
    for (let i = 0; i < 3; i++) store.getState().pushNotice('error', 'Cannot reach the API.');
    const html = render();
    expect(html.match(/Cannot reach the API\./g)).toHaveLength(1);
    expect(html).toContain('×3');
    expect(html).toContain('(3 times)');
  });
});
