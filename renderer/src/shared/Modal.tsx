/**
 * A modal dialog on the platform's `<dialog>` and `showModal()`: the page behind it is inert (Tab and
 * clicks cannot reach it, screen readers do not read it), focus goes into the dialog (to the element
 * with `autoFocus`, else the first focusable one) and back to where it was on close, and Escape closes
 * it. Clicking the backdrop closes it too. Tab and Shift+Tab go round inside the dialog: a native modal
 * lets them leave for the browser's own controls, which loses the user's place.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements Tab stops at inside `root`, in order. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (e) => e.tabIndex >= 0 && e.getClientRects().length > 0,
  );
}

/** Keeps Tab inside the dialog: from the last stop to the first, and Shift+Tab the other way. */
function trapTab(e: KeyboardEvent<HTMLDialogElement>) {
  if (e.key !== "Tab") return;
  const stops = tabbables(e.currentTarget);
  if (stops.length === 0) {
    e.preventDefault();
    return;
  }
  const first = stops[0]!;
  const last = stops[stops.length - 1]!;
  const active = document.activeElement;
  const inside = active instanceof Node && e.currentTarget.contains(active) && active !== e.currentTarget;
  if (e.shiftKey && (active === first || !inside)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !inside)) {
    e.preventDefault();
    first.focus();
  }
}

export function Modal(props: {
  /** The accessible name; `labelledBy` names an element inside instead. */
  label?: string;
  labelledBy?: string;
  /** "alertdialog" for a confirmation that interrupts (delete, replace). */
  role?: "dialog" | "alertdialog";
  className?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { label, labelledBy, role = "dialog", className, onClose, children } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  // Where the focus was before the dialog rendered (an `autoFocus` child takes it on mount).
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // React focused an `autoFocus` child on mount, just before this; keep it there, else the first stop.
    const focused = document.activeElement;
    const chosen = focused instanceof HTMLElement && dialog.contains(focused) ? focused : null;
    if (!dialog.open) dialog.showModal();
    if (document.activeElement === dialog || !dialog.contains(document.activeElement))
      (chosen ?? tabbables(dialog)[0] ?? dialog).focus();
    // Escape fires "cancel": the dialog stays open until the owner removes it, so state is the truth.
    const onCancel = (e: Event) => {
      e.preventDefault();
      close.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : "modal"}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-label={label}
      aria-labelledby={labelledBy}
      aria-modal="true"
      onKeyDown={trapTab}
      // A click on the dialog element itself (not its content) is a click on the backdrop.
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
