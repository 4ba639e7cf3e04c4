// "Nothing runs past its box", as the browser measures it: the page has no
// horizontal scroll, and no element sticks out of its panel (or the header)
// unless it sits in a scroll container of its own. Also text: an element
// whose content is wider than itself while it lets it show. Runs in the page
// (a string, since this file is type-checked for Node).
export const OVERFLOW_CHECK = `(() => {
  const out = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.getAttribute("data-testid") ? "[" + el.getAttribute("data-testid") + "]" : "") + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const path = (el) => { const p = []; for (let e = el; e && e !== document.body && p.length < 4; e = e.parentElement) p.unshift(name(e)); return p.join(" > "); };
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) out.push("page: " + doc.scrollWidth + " px wide in a " + window.innerWidth + " px window");
  const scrolls = (el) => { const o = getComputedStyle(el).overflowX; return o === "auto" || o === "scroll" || o === "hidden"; };
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).position === "fixed") continue;
    let box = null;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a)) { clipped = true; break; }
      if (a.matches(".panel, header.top")) { box = a; break; }
    }
    if (clipped) continue;
    if (box) {
      const b = box.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) out.push(path(el) + ": " + Math.round(r.left) + ".." + Math.round(r.right) + " outside its box " + Math.round(b.left) + ".." + Math.round(b.right));
    }
    const cs = getComputedStyle(el);
    if (cs.display !== "inline" && !scrolls(el) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && el.tagName !== "CANVAS") out.push(path(el) + ": content " + el.scrollWidth + " px in a " + el.clientWidth + " px box");
  }
  return out.slice(0, 20);
})()`;
