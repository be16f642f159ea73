import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/**
 * Where focus goes when an asynchronous action ends. While it runs, its button is disabled
 * or gone, so the browser drops focus to the page body and keyboard and screen-reader users
 * lose their place (WCAG 2.4.3). `focusOn(ref)` asks for focus on what the action produced
 * (a result heading, a status, an error); it moves once that element is on screen, after
 * the render that shows it. Elements that are not focusable by nature get tabindex="-1".
 */
export function useFocusAfter() {
  const [request, setRequest] = useState<{ target: RefObject<HTMLElement | null> } | null>(null);
  useLayoutEffect(() => {
    const el = request?.target.current;
    if (!el) return;
    if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    el.focus();
  }, [request]);
  // A new object each time, so asking twice for the same element moves focus again.
  return useCallback((target: RefObject<HTMLElement | null>) => setRequest({ target }), []);
}

