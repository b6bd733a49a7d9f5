"use client";

/**
 * Where focus goes back when a dialog closes: the control that opened it. A dialog opened from a
 * menu item finds no opener in focus (the menu is gone by then), so the item notes its menu's
 * trigger, the `More` button the person pressed.
 */
let notedMenuTrigger: HTMLElement | null = null;

export function noteMenuTrigger(item: Element) {
  const menu = item.closest('[role="menu"]');
  const trigger = menu?.id
    ? document.querySelector(`[aria-controls="${CSS.escape(menu.id)}"]`)
    : null;
  notedMenuTrigger = trigger instanceof HTMLElement ? trigger : null;
}

/** The control that opened the dialog now opening: the focused control, else a noted menu trigger. */
export function takeOpener(): HTMLElement | null {
  const noted = notedMenuTrigger;
  notedMenuTrigger = null;
  const focused = document.activeElement;
  const inMenu = focused?.closest('[role="menu"]');
  if (focused instanceof HTMLElement && focused !== document.body && !inMenu) return focused;
  return noted;
}

/** Puts focus back on the opener, if it is still on the page. */
export function returnFocus(opener: HTMLElement | null, event: Event) {
  if (!opener?.isConnected) return;
  event.preventDefault();
  opener.focus();
}
