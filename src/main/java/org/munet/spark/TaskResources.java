package org.munet.spark;

import ai.djl.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device and threads Spark gave the running task: the GPU in the task's resources when
 * {@code spark.task.resource.gpu.amount} is set, else the CPU with {@code spark.task.cpus}
 * intra-op threads.
 */
record TaskResources(Device device, int threads) {

    static TaskResources current(int fallbackThreads) {
        TaskContext context = TaskContext.get();
        if (context == null) {
            return new TaskResources(Device.cpu(), fallbackThreads);
        }
        ResourceInformation gpu = context.resources().get("gpu").getOrElse(() -> null);
        if (gpu != null && gpu.addresses().length > 0) {
            return new TaskResources(Device.gpu(Integer.parseInt(gpu.addresses()[0])), context.cpus());
        }
        return new TaskResources(Device.cpu(), Math.max(1, context.cpus()));
    }
}
