// Small DOM helpers shared by the page's modules. Engine text goes in with textContent only.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Writes only on change, so screen readers and layout are not disturbed every frame.
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// 10000 → "10,000". (Not toLocaleString: its first call loads locale data, tens of ms.)
export const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// Copies a textarea's text. The clipboard needs a secure context and permission; where it is
// refused (a file:// page, some LMS iframes) the text stays selected for Ctrl+C.
export async function copyText(textarea, status) {
  textarea.hidden = false;
  textarea.focus();
  textarea.select();
  textarea.scrollTop = 0; // a script reads from its first line
  try {
    await navigator.clipboard.writeText(textarea.value);
    status.textContent = 'Copied.';
  } catch {
    status.textContent = 'The browser refused the clipboard: the text is selected, press Ctrl+C (⌘C).';
  }
}
