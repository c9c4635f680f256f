import OMSDomain
import OMSStore
@testable import Stages
import Testing

@Suite("Capture's decisions")
struct CaptureStepTests {
    @Test("creation: a conflict is refused, a settled duplicate announced, a new or received one settled")
    func creation() {
        #expect(CreationStep(.conflict(status: .confirmed, version: 2)) == .refuse)
        #expect(CreationStep(.duplicate(status: .backordered, version: 2)) == .announce(.backordered, version: 2))
        #expect(CreationStep(.duplicate(status: .received, version: 1)) == .settle)
        #expect(CreationStep(.created) == .settle)
    }

    @Test("hold release: on_hold reserves, confirmed or backordered announce, anything else nothing")
    func release() {
        #expect(ReleaseStep(status: .onHold) == .reserve)
        #expect(ReleaseStep(status: .confirmed) == .announce)
        #expect(ReleaseStep(status: .backordered) == .announce)
        #expect(ReleaseStep(status: .cancelled) == .nothing)
    }

    @Test("restock: a received order waits, a backordered one is reserved, a confirmed one announced, others dropped")
    func restock() {
        #expect(RestockStep(status: .received) == .wait)
        #expect(RestockStep(status: .backordered) == .reserve)
        #expect(RestockStep(status: .confirmed) == .announce)
        #expect(RestockStep(status: .cancelled) == .drop)
    }

    @Test("cancel: only from picked, or found cancelled, may the order be on a picklist")
    func cancel() {
        #expect(CancelStep(.applied(from: .paid, version: 4)) == .cancelled(version: 4, mayBeOnPicklist: false))
        #expect(CancelStep(.applied(from: .picked, version: 5)) == .cancelled(version: 5, mayBeOnPicklist: true))
        #expect(CancelStep(.already(version: 5)) == .cancelled(version: 5, mayBeOnPicklist: true))
        #expect(CancelStep(.refused(current: .received, version: 1)) == .wait)
        #expect(CancelStep(.refused(current: .picked, version: 4))
            == .refused(.picked, version: 4,
                        why: "its shipping label is already bought and the parcel is on its way out"))
        #expect(CancelStep(.refused(current: .shipped, version: 5))
            == .refused(.shipped, version: 5, why: "it has already shipped"))
        #expect(CancelStep(.refused(current: .returnRequested, version: 7))
            == .refused(.returnRequested, version: 7, why: "a return is already under way"))
        #expect(CancelStep(.missing) == .missing)
    }
}
