package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskDataCacheTest {

    /** A task of {@code n} 10x10 gray images: 100 n + 4 n bytes per split, three splits. */
    private static TaskData task(String name, int n) {
        ImageSet s = new ImageSet(name, 1, 10, 10, new byte[n * 100], new int[n], 2);
        return new TaskData(name, 2, s, s, s, TaskData.numberedClasses(2));
    }

    @Test
    void evictsLeastRecentlyUsedBeyondItsBound() {
        long one = task("a", 10).bytes(); // 3 * 1040
        TaskDataCache<String> cache = new TaskDataCache<>(2 * one);
        AtomicInteger loads = new AtomicInteger();
        cache.get("a", () -> { loads.incrementAndGet(); return task("a", 10); });
        cache.get("b", () -> { loads.incrementAndGet(); return task("b", 10); });
        cache.get("a", () -> { loads.incrementAndGet(); return task("a", 10); }); // a is now the most recent
        assertEquals(2, loads.get());
        cache.get("c", () -> { loads.incrementAndGet(); return task("c", 10); });
        assertTrue(cache.holds("a") && cache.holds("c"));
        assertFalse(cache.holds("b"), "the least recently used entry goes first");
        assertEquals(2 * one, cache.heldBytes());
        cache.limit(one);
        assertEquals(one, cache.heldBytes());
        assertTrue(cache.holds("c"));
    }

    @Test
    void anEntryLargerThanTheBoundIsReturnedButNotKept() {
        TaskDataCache<String> cache = new TaskDataCache<>(1000);
        TaskData big = task("big", 100);
        assertSame(big, cache.get("big", () -> big));
        assertFalse(cache.holds("big"));
        assertEquals(0, cache.heldBytes());
    }

    @Test
    void concurrentRequestsShareOneLoadAndFailuresAreForgotten() throws Exception {
        TaskDataCache<String> cache = new TaskDataCache<>(1L << 30);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] f = new Future<?>[4];
            for (int i = 0; i < 4; i++) {
                f[i] = pool.submit(() -> cache.get("a", () -> {
                    loads.incrementAndGet();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return task("a", 1);
                }));
            }
            Thread.sleep(200); // let every request arrive while the first load is blocked
            release.countDown();
            for (Future<?> x : f) {
                x.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get());

        DatasetException e = assertThrows(DatasetException.class,
                () -> cache.get("bad", () -> { throw new DatasetException("bad: truncated"); }));
        assertEquals("bad: truncated", e.getMessage());
        assertFalse(cache.holds("bad"), "a failed load is not cached");
        assertEquals(1, cache.get("bad", () -> task("bad", 1)).train().size());
    }
}
