package casefile

import "sync"

// madeAhead keeps up to n values made ahead of need by goroutines of its
// own, so that the work of making them runs while an import's workers wait
// for the disk instead of on their way (an import's X25519 shares,
// blobwrap.go; its blob files, blobtemp_linux.go). take never waits.
type madeAhead[T any] struct {
	ready   chan T
	stop    chan struct{}
	done    chan struct{}
	dispose func(T)
}

// startAhead starts makers goroutines calling produce until n values are
// ready, and again as they are taken, until close. A produce that fails (ok
// false) ends its goroutine: take then finds fewer values or none, and the
// caller makes its own, which reports the error. dispose is called on
// each value made and never taken.
func startAhead[T any](n, makers int, produce func() (v T, ok bool), dispose func(T)) *madeAhead[T] {
	a := &madeAhead[T]{ready: make(chan T, n), stop: make(chan struct{}), done: make(chan struct{}), dispose: dispose}
	var wg sync.WaitGroup
	for range makers {
		wg.Go(func() {
			for {
				v, ok := produce()
				if !ok {
					return
				}
				select {
				case a.ready <- v:
				case <-a.stop:
					dispose(v)
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(a.done)
	}()
	return a
}

// take returns a value made ahead, if one is ready (never on a nil a).
func (a *madeAhead[T]) take() (v T, ok bool) {
	if a == nil {
		return v, false
	}
	select {
	case v = <-a.ready:
		return v, true
	default:
		return v, false
	}
}

// close stops making values and disposes of those not taken.
func (a *madeAhead[T]) close() {
	if a == nil {
		return
	}
	close(a.stop)
	<-a.done
	for {
		select {
		case v := <-a.ready:
			a.dispose(v)
		default:
			return
		}
	}
}
