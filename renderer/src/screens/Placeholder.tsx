/** Shown for a screen whose component is not in this build yet. */
export function Placeholder({ name }: { name: string }) {
  return (
    <section className="screen">
      <header className="screen-header">
        <h1>{name}</h1>
      </header>
      <div className="empty">The {name} screen is not part of this build yet.</div>
    </section>
  );
}
