import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Reads something again while it is under way (a release being built, a run collecting): after each update of
 * its host, while `active()` holds and the host is on the page, `poll()` runs once `everyMs` later. Leaving
 * the page stops it; coming back starts it again with the next update.
 */
export class PollController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: { everyMs: number; active: () => boolean; poll: () => Promise<void> },
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.timer === undefined && this.host.isConnected && this.options.active())
      this.timer = setTimeout(() => void this.tick(), this.options.everyMs);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick() {
    try {
      await this.options.poll();
    } finally {
      this.timer = undefined;
      this.host.requestUpdate();
    }
  }
}
