/// How a loop presumes a SYN dropped, and counts again one answered after all (see
/// `DestinationSlots`). Loop-thread only, like the rest of the loop's state.
extension MultiLoop {
    /// A libcurl attempt whose SYN is still unanswered at its presumption time (its socket, read
    /// now, is still in SYN-SENT) is presumed dropped; one answered meanwhile is left be.
    func presumeIfUnanswered(_ job: Job, socket: Int32, now: Double) {
        owner.check()
        guard let state = TCPState.of(socket: socket) else {
            // No socket yet (libcurl opens it on its next turn): look again shortly.
            job.presumeAt = now + DestinationSlots.floor
            return
        }
        job.presumeAt = .infinity
        guard state == .synSent else { return }
        presume(job)
    }

    /// Presumes the attempt's SYN dropped: it gives back its destination slot and its place in the
    /// global share, and runs on to its connect timeout uncounted.
    func presume(_ job: Job) {
        owner.check()
        job.presumeAt = .infinity
        job.presumed = true
        if job.counted {
            job.counted = false
            slots.presumeDropped(job.destinationKey, loop: index)
        }
        if job.working {
            job.working = false
            working -= 1
        }
    }

    /// A libcurl attempt's TCP handshake completed: its round trip is a sample of the destination's,
    /// and if it was presumed dropped it counts again, towards both caps.
    func answered(_ job: Job, now: Double) {
        owner.check()
        job.presumeAt = .infinity
        let socket = job.context?.pointee.binding.fd ?? -1
        if !job.presumed {
            guard job.connectsDirectly else { return }
            slots.sample(job.destinationKey, seconds: TCPRoundTrip.of(socket: socket) ?? (now - job.started))
            return
        }
        if !job.counted {
            job.counted = true
            slots.reclaim(job.destinationKey)
        }
        if !job.working {
            job.working = true
            working += 1
        }
    }
}
