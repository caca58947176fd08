// Cross-node fan-out. The memory adapter serves a single node; Redis joins nodes.
export interface ClusterBus {
  publish(channel: string, payload: string): Promise<void>;
  subscribe(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
