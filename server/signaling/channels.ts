/**
 * The Socket.IO channels of the room protocol. With several nodes the adapter carries
 * what is sent to them to every node, so a socket hears its room wherever it is connected.
 */
export const roomChannel = (roomId: string) => `room:${roomId}`;
export const peerChannel = (peerId: string) => `peer:${peerId}`;
export const moderatorChannel = (roomId: string) => `moderators:${roomId}`;
