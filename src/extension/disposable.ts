import type * as vscode from 'vscode';

/**
 * Owns child disposables and disposes them with itself, in reverse order of registration. Registering
 * on an owner that is already disposed disposes the child at once (as VS Code core's `Disposable`).
 */
export class DisposableOwner implements vscode.Disposable {
  private readonly children: { dispose(): unknown }[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `d`; returns it for chaining. */
  protected register<T extends { dispose(): unknown }>(d: T): T {
    if (this.disposed) {
      d.dispose();
    } else {
      this.children.push(d);
    }
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.children.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        console.error('[floplens] dispose failed', e);
      }
    }
  }
}

/** A disposable slot holding at most one child; setting a new one disposes the old. */
export class DisposableSlot implements vscode.Disposable {
  private current: { dispose(): unknown } | undefined;

  set(d: { dispose(): unknown } | undefined): void {
    this.current?.dispose();
    this.current = d;
  }

  get isSet(): boolean {
    return this.current !== undefined;
  }

  dispose(): void {
    this.set(undefined);
  }
}

/** A plain owner others can add to (for lifetimes that are not a class of their own). */
export class DisposableBag extends DisposableOwner {
  add<T extends { dispose(): unknown }>(d: T): T {
    return this.register(d);
  }
}
