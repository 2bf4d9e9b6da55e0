package org.munet.cli;

import org.munet.data.DatasetException;
import org.munet.nn.NonFiniteLossException;
import org.munet.store.CorruptStateException;
import org.munet.spark.SparkSetupException;
import org.munet.store.StateLockedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns errors the user can fix (bad data, bad arguments, divergence) into one clear line and exit
 * code 2; anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        if (e instanceof DatasetException || e instanceof NonFiniteLossException
                || e instanceof IllegalArgumentException || e instanceof StateLockedException
                || e instanceof CorruptStateException || e instanceof SparkSetupException) {
            cmd.getErr().println("munet " + cmd.getCommandName() + ": " + e.getMessage());
            return USER_ERROR;
        }
        throw e;
    }
}
